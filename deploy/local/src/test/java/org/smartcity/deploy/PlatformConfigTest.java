package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.Settings;

/**
 * {@code demo --backfill}: the demo's bridge accepts readings as old as the backfill; {@code
 * --state-changelog}: on unless turned off.
 */
class PlatformConfigTest {
    private static PlatformConfig parse(String... flags) {
        return PlatformConfig.from(Settings.load(PlatformConfig.OPTIONS, List.of(flags), Map.of()));
    }

    @Test
    void withoutABackfillTheBridgeKeepsItsDefaultAge() {
        assertThat(parse().backfill()).isNull();
        assertThat(parse().bridgeMaxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aBackfillBeyondTheDefaultRaisesTheBridgesLimitByADay() {
        assertThat(parse("--backfill", "365d").bridgeMaxAge()).isEqualTo(Duration.ofDays(366));
        assertThat(parse("--backfill", "3d").bridgeMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(parse("--backfill", "3d").backfill()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void theChangelogIsOnUnlessTurnedOff() {
        assertThat(parse().stateChangelog()).isTrue();
        assertThat(parse("--state-changelog", "true").stateChangelog()).isTrue();
        assertThat(parse("--state-changelog", "false").stateChangelog()).isFalse();
    }
}
