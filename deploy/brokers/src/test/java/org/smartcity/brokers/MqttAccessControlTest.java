package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.brokers.MqttAccessControl.Refusal.ANONYMOUS_NOT_ALLOWED;
import static org.smartcity.brokers.MqttAccessControl.Refusal.BAD_USER_NAME_OR_PASSWORD;
import static org.smartcity.brokers.MqttAccessControl.Refusal.CLIENT_ID_NOT_OWNED;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttAccessControlTest {

    @TempDir Path dir;
    private MqttCredentials credentials;

    @BeforeEach
    void users() {
        credentials = MqttCredentials.provision(dir);
        credentials.add("km-pm25", "short");
        credentials.add("km-pm25-0042", "device-pw");
    }

    @Test
    void logsInUsersWithTheirPasswordAndOwnClientIdsOnly() throws IOException {
        MqttAccessControl access = control(false);

        assertThat(access.authenticate("km-pm25-0042", "km-pm25-0042", pw("device-pw"))).isNull();
        assertThat(access.authenticate("km-pm25-0042-b", "km-pm25-0042", pw("device-pw"))).isNull();
        assertThat(access.authenticate("km-pm25-0042", "km-pm25-0042", pw("wrong")))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(access.authenticate("nobody", "nobody", pw("device-pw")))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(access.authenticate("km-pm25-0042", "km-pm25-0042", null))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(access.authenticate("x", null, pw("device-pw")))
                .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(access.authenticate("x", null, null)).isEqualTo(ANONYMOUS_NOT_ALLOWED);
        // The bridge's client id is the bridge user's: no other user takes over its session.
        String bridgeId = "smartcity-ingest-local";
        assertThat(access.authenticate(bridgeId, "km-pm25-0042", pw("device-pw")))
                .isEqualTo(CLIENT_ID_NOT_OWNED);
        assertThat(
                        access.authenticate(
                                bridgeId, "smartcity-ingest", pw(credentials.bridgePassword())))
                .isNull();
        // The longest user name owns a client id: km-pm25-0042-b is not km-pm25's.
        assertThat(access.authenticate("km-pm25-0042-b", "km-pm25", pw("short")))
                .isEqualTo(CLIENT_ID_NOT_OWNED);
        assertThat(access.authenticate("km-pm25-9", "km-pm25", pw("short"))).isNull();
    }

    @Test
    void anonymousClientsOnlyWithTheFlagAndOnlyWithClientIdsOfNobody() throws IOException {
        MqttAccessControl access = control(true);

        assertThat(access.authenticate("trial-1", null, null)).isNull();
        assertThat(access.authenticate("smartcity-ingest-local", null, null))
                .isEqualTo(CLIENT_ID_NOT_OWNED);
        assertThat(access.mayPublish(null, "trial-1", "city/kunming/pm25/anything")).isTrue();
        assertThat(access.maySubscribe(null, "trial-1", "$share/ingest/city/+/+/+")).isTrue();
        // Users keep their own rights.
        assertThat(access.maySubscribe("km-pm25-0042", "km-pm25-0042", "city/#")).isFalse();
    }

    @Test
    void seesUsersAddedWhileRunning() throws IOException {
        MqttAccessControl access = control(false);
        assertThat(access.authenticate("km-no2-1", "km-no2-1", pw("n"))).isNotNull();

        credentials.add("km-no2-1", "n");
        // Same second and size as before would hide the change from a coarse clock: force it.
        Files.setLastModifiedTime(
                credentials.passwordFile(), FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(access.authenticate("km-no2-1", "km-no2-1", pw("n"))).isNull();
        assertThat(access.mayPublish("km-no2-1", "km-no2-1", "city/kunming/no2/km-no2-1")).isTrue();

        Files.writeString(credentials.passwordFile(), "broken line\n");
        // A broken file keeps the last good users.
        assertThat(access.authenticate("km-no2-1", "km-no2-1", pw("n"))).isNull();
    }

    private MqttAccessControl control(boolean anonymous) throws IOException {
        return new MqttAccessControl(
                credentials.passwordFile(), credentials.aclFile(), anonymous, Duration.ZERO);
    }

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
