package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HttpResponseException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict query decoding every service shares (the dashboard's former {@code Params} cases). */
class QueryParametersTest {

    @Test
    void decodesTheQueryString() {
        QueryParameters p =
                QueryParameters.parse(
                        "datetime=2026-11-24T05%3A00%3A00Z%2F..&metric=pm25&zone_id=a+b%C3%A9");

        assertThat(p.get("datetime")).isEqualTo("2026-11-24T05:00:00Z/..");
        assertThat(p.get("metric")).isEqualTo("pm25");
        assertThat(p.get("zone_id")).isEqualTo("a b\u00e9");
        assertThat(p.names()).containsExactly("datetime", "metric", "zone_id");
        assertThat(QueryParameters.parse(null).names()).isEmpty();
        assertThat(QueryParameters.parse("zone_id=\u00e9\ud83d\ude00").get("zone_id"))
                .as("unescaped characters, as Jetty passes them (decoded from UTF-8)")
                .isEqualTo("\u00e9\ud83d\ude00");
    }

    @ParameterizedTest(name = "query ''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=%zz | limit: malformed percent-encoding at character 1 (a % must be followed"
                        + " by two hexadecimal digits)",
                "limit=5% | limit: malformed percent-encoding at character 2 (a % must be followed"
                        + " by two hexadecimal digits)",
                "zone_id=%C3%28 | zone_id: not valid UTF-8 once percent-decoded",
                "zone_id=%FF | zone_id: not valid UTF-8 once percent-decoded",
                "zone_id=%\u0663\u0663 | zone_id: malformed percent-encoding at character 1 (a %"
                        + " must be followed by two hexadecimal digits)",
                "lim%t=5 | lim%t: malformed percent-encoding at character 4 (a % must be followed"
                        + " by two hexadecimal digits)",
                "limit=1&limit=abc | limit: given more than once; give it once",
                "metric=pm25&metric=pm25 | metric: given more than once; give it once",
                "f&f=json | f: given more than once; give it once"
            })
    void rejectsBadEscapesAndRepeatedParametersNamingTheParameter(String raw, String message) {
        assertThatThrownBy(() -> QueryParameters.parse(raw))
                .isInstanceOfSatisfying(
                        HttpResponseException.class, e -> assertThat(e.getStatus()).isEqualTo(400))
                .hasMessage(message);
    }

    @Test
    void unknownParametersAreRefusedListingTheKnownOnes() {
        assertThatThrownBy(
                        () ->
                                QueryParameters.parse("limit=5&datetme=2026-11-24T05:00:00Z")
                                        .requireOnly(Set.of("limit", "datetime"), "items"))
                .hasMessage("datetme: unknown parameter for items; known: datetime, limit");
    }

    @Test
    void aLongBadValueIsCutInTheError() {
        assertThat(HttpErrors.echo("x".repeat(100_000))).isEqualTo("x".repeat(100) + "...");
        assertThat(HttpErrors.echo("x".repeat(100))).isEqualTo("x".repeat(100));
    }
}
