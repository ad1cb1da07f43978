package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartcity.core.AggregateId.History;
import org.smartcity.core.AggregateId.Live;
import org.smartcity.core.zoning.ZoneKind;

class AggregateIdTest {

    /** 2026-12-01T13:00:00Z. */
    private static final long START = 1_796_130_000_000L;

    @Test
    void writesAndReadsAHistoryId() {
        History id = new History(Metric.PM25, ZoneKind.DISTRICT, "530102", START, 900_000);

        assertThat(id.toString()).isEqualTo("pm25|district|530102|1796130000000|15m");
        assertThat(AggregateId.parseHistory("pm25|district|530102|1796130000000|15m"))
                .isEqualTo(id);
        assertThat(AggregateId.parse("pm25|district|530102|1796130000000|15m")).isEqualTo(id);
    }

    @Test
    void writesAndReadsALiveId() {
        Live id = new Live(Metric.WATER_LEVEL, ZoneKind.H3, "8840d8a2d7fffff", 3_600_000);

        assertThat(id.toString()).isEqualTo("water_level|h3|8840d8a2d7fffff|1h");
        assertThat(AggregateId.parseLive("water_level|h3|8840d8a2d7fffff|1h")).isEqualTo(id);
        assertThat(AggregateId.parse("water_level|h3|8840d8a2d7fffff|1h")).isEqualTo(id);
    }

    @Test
    void theIdsOfAnAggregateAreItsWindowAndItsSeries() {
        ZoneAggregate a =
                new ZoneAggregate(
                        Metric.NOISE,
                        ZoneKind.CITY,
                        "kunming",
                        START,
                        60_000,
                        3,
                        2,
                        55,
                        50,
                        60,
                        165,
                        54,
                        59,
                        2,
                        0);

        assertThat(AggregateId.historyOf(a).toString())
                .isEqualTo("noise|city|kunming|1796130000000|1m");
        assertThat(a.featureId()).isEqualTo("noise|city|kunming|1796130000000|1m");
        assertThat(AggregateId.liveOf(a).toString()).isEqualTo("noise|city|kunming|1m");
        assertThat(AggregateId.historyOf(a).toLive()).isEqualTo(AggregateId.liveOf(a));
        assertThat(AggregateId.liveOf(a).window(START)).isEqualTo(AggregateId.historyOf(a));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                // window length label; milliseconds
                "250ms; 250",
                "30s; 30000",
                "1m; 60000",
                "90m; 5400000",
                "15m; 900000",
                "1h; 3600000",
                "36h; 129600000",
                "1d; 86400000",
                "7d; 604800000"
            })
    void readsEveryWindowLengthAsTheAggregateWritesIt(String label, long millis) {
        Live id = AggregateId.parseLive("pm25|city|kunming|" + label);

        assertThat(id.windowLengthMillis()).isEqualTo(millis);
        assertThat(id.toString()).isEqualTo("pm25|city|kunming|" + label);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "五华区",
                "Wuhua District 五华区",
                " padded ",
                "1796130000000",
                "15m",
                "pm25",
                "district",
                "a.b-c_d:e/f",
                "%7C",
                "back\\slash",
                "tab\there",
                "x"
            })
    void zoneIdsMayHoldAnythingButTheSeparator(String zoneId) {
        History history = new History(Metric.NO2, ZoneKind.DISTRICT, zoneId, START, 3_600_000);
        Live live = history.toLive();

        assertThat(history.toString()).isEqualTo("no2|district|" + zoneId + "|1796130000000|1h");
        assertThat(live.toString()).isEqualTo("no2|district|" + zoneId + "|1h");
        assertThat(AggregateId.parse(history.toString())).isEqualTo(history);
        assertThat(AggregateId.parse(live.toString())).isEqualTo(live);
        assertThat(AggregateId.parse(history.toString()).zoneId()).isEqualTo(zoneId);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {"0; pm25|city|kunming|0|1m", "-60000; pm25|city|kunming|-60000|1m"})
    void windowStartsAreAnyEpochMilliseconds(long start, String id) {
        History parsed = AggregateId.parseHistory(id);

        assertThat(parsed.windowStartMillis()).isEqualTo(start);
        assertThat(parsed.toString()).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '"',
            value = {
                "\"\"; expected {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|{windowLength}"
                        + " or {metric}|{zoneKind}|{zoneId}|{windowLength}, got 1 parts",
                "pm25|district|530102; expected {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|"
                        + "{windowLength} or {metric}|{zoneKind}|{zoneId}|{windowLength}, got 3"
                        + " parts",
                "pm25|district|530|102|1796130000000|15m; expected"
                        + " {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|{windowLength} or"
                        + " {metric}|{zoneKind}|{zoneId}|{windowLength}, got 6 parts",
                "smog|district|530102|15m; unknown metric 'smog', expected one of pm25, pm10,"
                        + " no2, o3, noise, temperature, humidity, traffic, water_level",
                "PM25|district|530102|15m; unknown metric 'PM25', expected one of pm25, pm10,"
                        + " no2, o3, noise, temperature, humidity, traffic, water_level",
                "pm25|ward|530102|15m; unknown zone kind 'ward'",
                "pm25|district||15m; the zone id is empty",
                "pm25|district|530102|15; the window length '15' is not a length such as 30s,"
                        + " 1m, 15m, 1h or 1d",
                "pm25|district|530102|m; the window length 'm' is not a length such as 30s, 1m,"
                        + " 15m, 1h or 1d",
                "pm25|district|530102|15min; the window length '15min' is not a length such as"
                        + " 30s, 1m, 15m, 1h or 1d",
                "pm25|district|530102|0m; the window length '0m' is not a length such as 30s,"
                        + " 1m, 15m, 1h or 1d",
                "pm25|district|530102|-1m; the window length '-1m' is not a length such as 30s,"
                        + " 1m, 15m, 1h or 1d",
                "pm25|district|530102|999999999999d; the window length '999999999999d' is not a"
                        + " length such as 30s, 1m, 15m, 1h or 1d",
                "pm25|district|530102|60s; the window length '60s' is written '1m'",
                "pm25|district|530102|015m; the window length '015m' is written '15m'",
                "pm25|district|530102|1796130000000|; the window length '' is not a length such"
                        + " as 30s, 1m, 15m, 1h or 1d",
                "pm25|district|530102|15m|; the window start '15m' is not epoch milliseconds",
                "pm25|district|530102|+1796130000000|15m; the window start '+1796130000000' is"
                        + " not epoch milliseconds",
                "pm25|district|530102|01796130000000|15m; the window start '01796130000000' is"
                        + " not epoch milliseconds",
                "pm25|district|530102|-0|15m; the window start '-0' is not epoch milliseconds",
                "pm25|district|530102|2026-12-01T13:00:00Z|15m; the window start"
                        + " '2026-12-01T13:00:00Z' is not epoch milliseconds",
                "pm25|district|530102|9223372036854775808|15m; the window start"
                        + " '9223372036854775808' is not epoch milliseconds"
            })
    void rejectsWhatIsNotAnId(String id, String problem) {
        assertThatThrownBy(() -> AggregateId.parse(id))
                .isInstanceOf(AggregateId.MalformedException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not an aggregate id: '" + id + "': " + problem);
    }

    @Test
    void eachFormIsReadOnlyWhereItIsExpected() {
        assertThatThrownBy(() -> AggregateId.parseLive("pm25|district|530102|1796130000000|15m"))
                .isInstanceOf(AggregateId.MalformedException.class)
                .hasMessage(
                        "Not an aggregate id: 'pm25|district|530102|1796130000000|15m': expected"
                                + " {metric}|{zoneKind}|{zoneId}|{windowLength}, got 5 parts");
        assertThatThrownBy(() -> AggregateId.parseHistory("pm25|district|530102|15m"))
                .isInstanceOf(AggregateId.MalformedException.class)
                .hasMessage(
                        "Not an aggregate id: 'pm25|district|530102|15m': expected"
                                + " {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|{windowLength},"
                                + " got 4 parts");
    }

    @Test
    void refusesToBuildAnIdThatCouldNotBeReadBack() {
        assertThatThrownBy(() -> new Live(Metric.PM25, ZoneKind.DISTRICT, "A|B", 60_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zoneId must be non-empty and without '|', was 'A|B'");
        assertThatThrownBy(() -> new Live(Metric.PM25, ZoneKind.DISTRICT, "", 60_000))
                .hasMessage("zoneId must be non-empty and without '|', was ''");
        assertThatThrownBy(() -> new History(Metric.PM25, ZoneKind.CITY, "kunming", START, 0))
                .hasMessage("windowLengthMillis must be positive, was 0");
    }
}
