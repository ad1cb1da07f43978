package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MqttAclTest {

    /** The file Mosquitto runs with (deploy/mosquitto/acl): one set of rules for both brokers. */
    private static final Path SHIPPED = Path.of("../mosquitto/acl");

    @Test
    void theShippedMosquittoAclGivesTheRulesOfTheReadme() throws IOException {
        MqttAcl acl = MqttAcl.read(SHIPPED);

        assertThat(acl.mayPublish("km-pm25-0042", "km-pm25-0042", "city/kunming/pm25/km-pm25-0042"))
                .isTrue();
        assertThat(acl.mayPublish("km-pm25-0042", "x", "city/kunming/pm25/km-pm25-0043")).isFalse();
        assertThat(acl.mayPublish("km-pm25-0042", "x", "city/kunming/pm25/km-pm25-0042/x"))
                .isFalse();
        assertThat(acl.maySubscribe("km-pm25-0042", "x", "city/kunming/pm25/km-pm25-0042"))
                .isFalse();
        assertThat(acl.maySubscribe("smartcity-ingest", "x", "$share/ingest/city/+/+/+")).isTrue();
        assertThat(acl.maySubscribe("smartcity-ingest", "x", "city/#")).isTrue();
        assertThat(acl.mayPublish("smartcity-ingest", "x", "city/kunming/pm25/a")).isFalse();
        // The simulator's lines are commented out there.
        assertThat(acl.mayPublish("smartcity-simulator", "x", "city/kunming/pm25/a")).isFalse();
        assertThat(acl.maySubscribe(null, "x", "city/#")).isFalse();
        assertThat(acl.mayPublish(null, "x", "city/kunming/pm25/a")).isFalse();
    }

    @Test
    void theGeneratedAclIsTheShippedOneWithTheSimulatorsLines() throws IOException {
        MqttAcl acl = MqttAcl.parse(MqttCredentials.acl("kunming").lines().toList(), "generated");

        assertThat(acl.mayPublish("smartcity-simulator", "x", "city/kunming/noise/km-noise-7"))
                .isTrue();
        assertThat(acl.mayPublish("smartcity-simulator", "x", "city/dali/noise/d-1")).isFalse();
        assertThat(acl.maySubscribe("smartcity-simulator", "x", "city/#")).isFalse();
        assertThat(acl.maySubscribe("smartcity-ingest", "x", "$share/ingest/city/+/+/+")).isTrue();
        assertThat(acl.mayPublish("d-1", "d-1", "city/kunming/pm25/d-1")).isTrue();
        assertThat(acl.mayPublish("d-1", "d-1", "city/kunming/pm25/d-2")).isFalse();
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "city/#, city/#, true",
        "city/#, city, true",
        "city/#, city/+/+/+, true",
        "city/#, city/kunming/pm25/a, true",
        "city/#, #, false",
        "city/#, +/kunming/pm25/a, false",
        "city/+/+/+, city/#, false",
        "city/+/+/+, city/a/b/c, true",
        "city/+/+/+, city/a/b, false",
        "city/+/+/+, city/a/b/c/d, false",
        "city/kunming/#, city/+/pm25/a, false",
        "city/a/+/x, city/a/+/x, true",
        "city/a/b/x, city/a/+/x, false",
        "#, $SYS/broker, false",
        "#, a/b, true",
    })
    void filterCoverage(String outer, String inner, boolean expected) {
        assertThat(MqttAcl.covers(outer, inner)).isEqualTo(expected);
    }

    @Test
    void patternsFillInUserAndClientIdButNeverWildcards() throws IOException {
        MqttAcl acl =
                MqttAcl.parse(
                        List.of(
                                "pattern write city/+/+/%u",
                                "pattern read devices/%c/config",
                                "topic read public/#",
                                "user alice",
                                "topic readwrite alice/#",
                                "topic deny alice/secret"),
                        "test");

        assertThat(acl.mayPublish("+", "c", "city/k/pm25/+")).isFalse();
        assertThat(acl.mayPublish("#", "c", "city/k/pm25/#")).isFalse();
        assertThat(acl.mayPublish("a/b", "c", "city/k/pm25/a/b")).isFalse();
        assertThat(acl.maySubscribe("bob", "bob-1", "devices/bob-1/config")).isTrue();
        assertThat(acl.maySubscribe("bob", "bob-1", "devices/bob-2/config")).isFalse();
        assertThat(acl.maySubscribe("bob", "+", "devices/+/config")).isFalse();
        // Lines before the first user line are for anonymous clients only.
        assertThat(acl.maySubscribe(null, "c", "public/x")).isTrue();
        assertThat(acl.maySubscribe("bob", "c", "public/x")).isFalse();
        assertThat(acl.mayPublish("alice", "c", "alice/notes")).isTrue();
        assertThat(acl.mayPublish("alice", "c", "alice/secret")).isFalse();
        assertThat(acl.maySubscribe("alice", "c", "alice/notes/#")).isTrue();
        assertThat(acl.maySubscribe("alice", "c", "alice/#")).isFalse(); // overlaps the deny
        assertThat(acl.maySubscribe("alice", "c", "$share/g")).isFalse();
        assertThat(acl.maySubscribe("alice", "c", "$share/g/alice/notes")).isTrue();
    }

    @Test
    void namesTheLineOfAnUnknownKeyword() {
        assertThatThrownBy(() -> MqttAcl.parse(List.of("# c", "user a", "topics read x"), "f"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("f, line 3: expected user, topic or pattern");
        assertThatThrownBy(() -> MqttAcl.parse(List.of("topic"), "f"))
                .hasMessageStartingWith("f, line 1: incomplete");
    }
}
