package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HttpResponseException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smartcity.core.Metric;
import org.smartcity.core.http.HttpErrors;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The values the APIs accept. The decoding of the query string itself (malformed escapes, bytes
 * that are not UTF-8, repeated parameters) is core's {@code QueryParametersTest}, and path decoding
 * {@code HttpServiceTest}, with the same cases.
 */
class ParamsTest {

    private static Params query(String raw) {
        return Params.parse(raw);
    }

    private static String decoded(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    @Test
    void parsesABoundingBoxInLongitudeLatitudeOrder() {
        assertThat(Params.parseBbox("102.6,24.9,102.8,25.1"))
                .isEqualTo(new Params.BBox(102.6, 24.9, 102.8, 25.1));
        assertThat(Params.parseBbox(" 102.6 , 24.9 ,0, 102.8, 25.1, 100"))
                .as("heights of a 3D box are ignored")
                .isEqualTo(new Params.BBox(102.6, 24.9, 102.8, 25.1));
        assertThat(Params.parseBbox("-180,-90,180,90").contains(102.7, 25.0)).isTrue();
        assertThat(Params.parseBbox("+102.,-.5,102.8,25"))
                .isEqualTo(new Params.BBox(102.0, -0.5, 102.8, 25.0));
    }

    @ParameterizedTest(name = "bbox ''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "1,2,3 | bbox: expected four numbers minLon,minLat,maxLon,maxLat (CRS84), got '1,2,3'",
                "1,2,3,4,5 | bbox: expected four numbers minLon,minLat,maxLon,maxLat (CRS84), got"
                        + " '1,2,3,4,5'",
                "a,2,3,4 | bbox: 'a' is not a plain decimal number (ASCII digits, optional sign and"
                        + " fraction)",
                "1,NaN,3,4 | bbox: 'NaN' is not a plain decimal number (ASCII digits, optional sign"
                        + " and fraction)",
                "0x1p3,2,3,4 | bbox: '0x1p3' is not a plain decimal number (ASCII digits, optional"
                        + " sign and fraction)",
                "102d,2,103,4 | bbox: '102d' is not a plain decimal number (ASCII digits, optional"
                        + " sign and fraction)",
                "1e2,2,3,4 | bbox: '1e2' is not a plain decimal number (ASCII digits, optional sign"
                        + " and fraction)",
                "Infinity,2,3,4 | bbox: 'Infinity' is not a plain decimal number (ASCII digits,"
                        + " optional sign and fraction)",
                "\u0661\u0660\u0662,2,103,4 | bbox: '\u0661\u0660\u0662' is not a plain decimal"
                        + " number (ASCII digits, optional sign and fraction)",
                "1,2,3, | bbox: '' is not a plain decimal number (ASCII digits, optional sign and"
                        + " fraction)",
                "102.6,25.1,102.8,24.9 | bbox: minLat is greater than maxLat in"
                        + " '102.6,25.1,102.8,24.9'",
                "170,0,-170,10 | bbox: minLon is greater than maxLon in '170,0,-170,10' (boxes"
                        + " across the antimeridian are not supported)",
                "25,102,25.1,102.8 | bbox: longitudes must lie in [-180, 180] and latitudes in [-90,"
                        + " 90] (order minLon,minLat,maxLon,maxLat), got '25,102,25.1,102.8'"
            })
    void rejectsABadBoundingBoxNamingTheParameter(String bbox, String message) {
        assertThatThrownBy(() -> Params.parseBbox(bbox))
                .isInstanceOfSatisfying(
                        HttpResponseException.class,
                        e -> {
                            assertThat(e.getStatus()).isEqualTo(400);
                            assertThat(HttpErrors.code(e.getStatus()))
                                    .isEqualTo("InvalidParameterValue");
                        })
                .hasMessage(message);
    }

    @Test
    void parsesInstantsAndClosedAndOpenIntervals() {
        Instant t0 = Instant.parse("2026-11-24T05:00:00Z");
        Instant t1 = Instant.parse("2026-11-24T06:00:00Z");

        assertThat(Params.parseDatetime("2026-11-24T05:00:00Z"))
                .isEqualTo(new Params.Interval(t0, t0));
        assertThat(Params.parseDatetime("2026-11-24T13:00:00+08:00"))
                .as("an offset is converted to UTC")
                .isEqualTo(new Params.Interval(t0, t0));
        assertThat(Params.parseDatetime("2026-11-24T05:00:00Z/2026-11-24T06:00:00Z"))
                .isEqualTo(new Params.Interval(t0, t1));
        assertThat(Params.parseDatetime("../2026-11-24T06:00:00Z"))
                .isEqualTo(new Params.Interval(null, t1));
        assertThat(Params.parseDatetime("2026-11-24T05:00:00Z/.."))
                .isEqualTo(new Params.Interval(t0, null));
        assertThat(Params.parseDatetime("0000-01-01T00:00:00Z/9999-12-31T23:59:59.999999999Z"))
                .as("the edges of the supported range")
                .isEqualTo(new Params.Interval(Params.EARLIEST, Params.LATEST));
        assertThat(Params.parseDatetime("/2026-11-24T06:00:00Z"))
                .as("an empty end is open too")
                .isEqualTo(new Params.Interval(null, t1));
    }

    @Test
    void anIntervalIsClosedAtTheMillisecondsTheStoresKeep() {
        Params.Interval instant = Params.parseDatetime("2026-11-24T05:00:00Z");
        assertThat(instant.startMillis()).isEqualTo(Instant.parse("2026-11-24T05:00:00Z"));
        assertThat(instant.endMillisExclusive())
                .isEqualTo(Instant.parse("2026-11-24T05:00:00.001Z"));

        Params.Interval fraction =
                Params.parseDatetime("2026-11-24T05:00:00.0005Z/2026-11-24T05:00:01.0005Z");
        assertThat(fraction.startMillis()).isEqualTo(Instant.parse("2026-11-24T05:00:00.001Z"));
        assertThat(fraction.endMillisExclusive())
                .isEqualTo(Instant.parse("2026-11-24T05:00:01.001Z"));
        assertThat(fraction.contains(Instant.parse("2026-11-24T05:00:00Z"))).isFalse();
        assertThat(fraction.contains(Instant.parse("2026-11-24T05:00:01Z"))).isTrue();
    }

    @ParameterizedTest(name = "datetime ''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "yesterday | datetime: expected an RFC 3339 date-time with a time zone such as"
                        + " 2026-11-24T05:00:00Z, or an interval start/end with .. for an open end,"
                        + " got 'yesterday'",
                "2026-11-24T05:00:00 | datetime: expected an RFC 3339 date-time with a time zone"
                        + " such as 2026-11-24T05:00:00Z, or an interval start/end with .. for an"
                        + " open end, got '2026-11-24T05:00:00'",
                "../.. | datetime: an interval needs at least one bounded end, got '../..'",
                ".. | datetime: '..' is only allowed as one end of an interval",
                "2026-11-24T06:00:00Z/2026-11-24T05:00:00Z | datetime: the start is after the end"
                        + " in '2026-11-24T06:00:00Z/2026-11-24T05:00:00Z'",
                "+999999999-12-31T23:59:59Z | datetime: '+999999999-12-31T23:59:59Z' is outside the"
                        + " supported range 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z/.. | datetime: '-999999999-01-01T00:00:00Z' is outside"
                        + " the supported range 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                "../+10000-01-01T00:00:00Z | datetime: '+10000-01-01T00:00:00Z' is outside the"
                        + " supported range 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                "0000-01-01T00:00:00+01:00 | datetime: '0000-01-01T00:00:00+01:00' is outside the"
                        + " supported range 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                "\u0662026-11-24T05:00:00Z | datetime: expected an RFC 3339 date-time with a time"
                        + " zone such as 2026-11-24T05:00:00Z, or an interval start/end with .. for"
                        + " an open end, got '\u0662026-11-24T05:00:00Z'",
                "2026-11-24T05:00:00Z/2026-11-24T06:00:00Z/.. | datetime: expected an instant or"
                        + " one interval start/end, got"
                        + " '2026-11-24T05:00:00Z/2026-11-24T06:00:00Z/..'"
            })
    void rejectsABadDatetimeNamingTheParameter(String datetime, String message) {
        assertThatThrownBy(() -> Params.parseDatetime(datetime))
                .isInstanceOf(HttpResponseException.class)
                .hasMessage(message);
    }

    @Test
    void limitIsOneToTenThousandWithLargerValuesLowered() {
        assertThat(query("").limit()).isEqualTo(100);
        assertThat(query("limit=1").limit()).isEqualTo(1);
        assertThat(query("limit=10000").limit()).isEqualTo(10_000);
        assertThat(query("limit=10001").limit()).isEqualTo(10_000);
        assertThat(query("limit=99999999999").limit()).isEqualTo(10_000);
        assertThat(query("limit=007").limit()).isEqualTo(7);
        assertThat(query("limit=000000000000000000001").limit()).isEqualTo(1);
        for (String bad :
                new String[] {
                    "0", "-5", "ten", "1.5", "", "%2B5", "\u0665", "\u0661\u0660", "\uff15", "1e3"
                }) {
            assertThatThrownBy(() -> query("limit=" + bad).limit())
                    .isInstanceOf(HttpResponseException.class)
                    .hasMessage(
                            "limit: expected a whole number from 1 to 10000 in ASCII digits, got '"
                                    + decoded(bad)
                                    + "'");
        }
    }

    @Test
    void offsetIsZeroOrMore() {
        assertThat(query("").offset()).isZero();
        assertThat(query("offset=40").offset()).isEqualTo(40);
        assertThat(query("offset=999999999").offset()).isEqualTo(999_999_999);
        for (String bad :
                new String[] {"-1", "\u0664\u0660", "1000000000", "99999999999", "%2B1"}) {
            assertThatThrownBy(() -> query("offset=" + bad).offset())
                    .isInstanceOf(HttpResponseException.class)
                    .hasMessage(
                            "offset: expected a whole number from 0 to 999999999 in ASCII digits,"
                                    + " got '"
                                    + decoded(bad)
                                    + "'");
        }
    }

    @Test
    void aLongBadValueIsCutInTheError() {
        String huge = "x".repeat(100_000);
        assertThatThrownBy(() -> query("metric=" + huge).metric())
                .hasMessageStartingWith("metric: unknown metric '" + "x".repeat(100) + "...';");
    }

    @Test
    void parsesTheAggregateFilters() {
        Params p = query("metric=noise&zone_kind=h3&zone_id=8840d8a2d7fffff&window_length=15m");
        assertThat(p.metric()).isEqualTo(Metric.NOISE);
        assertThat(p.zoneKind()).isEqualTo(ZoneKind.H3);
        assertThat(p.zoneId()).isEqualTo("8840d8a2d7fffff");
        assertThat(p.windowLength()).isEqualTo("15m");
        assertThat(query("").metric()).isNull();

        assertThatThrownBy(() -> query("metric=pm1").metric())
                .hasMessage(
                        "metric: unknown metric 'pm1'; known: pm25, pm10, no2, o3, noise,"
                                + " temperature, humidity, traffic, water_level");
        assertThatThrownBy(() -> query("zone_kind=county").zoneKind())
                .hasMessage("zone_kind: unknown zone kind 'county'; known: h3, district, city");
        assertThatThrownBy(() -> query("window_length=15min").windowLength())
                .hasMessage(
                        "window_length: expected a window length such as 1m, 15m or 1h, got"
                                + " '15min'");
        assertThatThrownBy(() -> query("zone_id=").zoneId())
                .hasMessage("zone_id: must not be empty");
    }

    @Test
    void formatAndUnknownParameters() {
        assertThat(query("").format("json", "json", "csv")).isEqualTo("json");
        assertThat(query("f=CSV").format("json", "json", "csv")).isEqualTo("csv");
        assertThatThrownBy(() -> query("f=xml").format("json", "json", "csv"))
                .hasMessage("f: expected json or csv, got 'xml'");
        assertThatThrownBy(
                        () ->
                                query("limit=5&datetme=2026-11-24T05:00:00Z")
                                        .requireOnly(Set.of("limit", "datetime"), "items"))
                .hasMessage("datetme: unknown parameter for items; known: datetime, limit");
    }

    @Test
    void everyItemsParameterIsCheckedEvenWhenTheDatetimeMatchesNothing() {
        // An instant between two milliseconds matches nothing a store keeps.
        assertThatThrownBy(
                        () ->
                                AggregateCollection.storeQuery(
                                        query("datetime=2026-11-24T05:00:00.0005Z&zone_id=")))
                .hasMessage("zone_id: must not be empty");
        assertThat(
                        AggregateCollection.storeQuery(
                                query("datetime=2026-11-24T05:00:00.0005Z&zone_id=a")))
                .isNull();
    }
}
