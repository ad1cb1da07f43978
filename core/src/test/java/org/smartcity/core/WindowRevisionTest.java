package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.zoning.ZoneKind;

class WindowRevisionTest {

    /** 2026-11-24T05:00:00Z and the next 15-minute window. */
    private static final long T0 = 1_795_496_400_000L;

    private static final long T1 = 1_795_497_300_000L;

    @Test
    void aLaterWindowIsNewerWhateverTheRevisions() {
        WindowRevision firstOfLater = new WindowRevision(T1, 1);
        WindowRevision thirdOfEarlier = new WindowRevision(T0, 3);

        assertThat(firstOfLater.isNewerThan(thirdOfEarlier)).isTrue();
        assertThat(thirdOfEarlier.isOlderThan(firstOfLater)).isTrue();
        assertThat(thirdOfEarlier.isNewerThan(firstOfLater)).isFalse();
        assertThat(firstOfLater.compareTo(thirdOfEarlier)).isPositive();
    }

    @Test
    void withinAWindowAHigherRevisionIsNewer() {
        assertThat(new WindowRevision(T0, 2).isNewerThan(new WindowRevision(T0, 1))).isTrue();
        assertThat(new WindowRevision(T0, 1).isOlderThan(new WindowRevision(T0, 2))).isTrue();
    }

    @Test
    void aReplayIsNeitherNewerNorOlder() {
        WindowRevision written = new WindowRevision(T0, 2);
        WindowRevision replayed = new WindowRevision(T0, 2);

        assertThat(replayed.isNewerThan(written)).isFalse();
        assertThat(replayed.isOlderThan(written)).isFalse();
        assertThat(replayed.compareTo(written)).isZero();
    }

    @Test
    void sortsOldestFirst() {
        List<WindowRevision> emissions =
                new ArrayList<>(
                        List.of(
                                new WindowRevision(T1, 1),
                                new WindowRevision(T0, 3),
                                new WindowRevision(T1, 2),
                                new WindowRevision(T0, 1)));

        emissions.sort(null);

        assertThat(emissions)
                .containsExactly(
                        new WindowRevision(T0, 1),
                        new WindowRevision(T0, 3),
                        new WindowRevision(T1, 1),
                        new WindowRevision(T1, 2));
    }

    @Test
    void isTheWindowStartAndRevisionOfAnAggregate() {
        ZoneAggregate a =
                new ZoneAggregate(
                        Metric.PM25,
                        ZoneKind.DISTRICT,
                        "530102",
                        T1,
                        900_000,
                        4,
                        2,
                        30,
                        20,
                        40,
                        120,
                        29,
                        39,
                        5,
                        0);

        assertThat(a.windowRevision()).isEqualTo(new WindowRevision(T1, 5));
        assertThat(WindowRevision.of(a)).isEqualTo(new WindowRevision(T1, 5));
    }
}
