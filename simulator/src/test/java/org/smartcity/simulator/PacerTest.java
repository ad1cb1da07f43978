package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    private long now = 1_000_000;
    private final List<Long> waits = new ArrayList<>();
    private boolean stopped;

    /** Whether only half of each requested wait passes: an early wake-up. */
    private boolean halfWakeUps;

    private final Pacer pacer =
            new Pacer(
                    () -> now,
                    nanos -> {
                        waits.add(nanos);
                        now += halfWakeUps ? Math.max(1, nanos / 2) : nanos;
                        return stopped;
                    });

    @Test
    void waitsUntilEachOffsetAfterTheStart() throws InterruptedException {
        pacer.start();
        now += 1_000_000; // 1 ms spent publishing

        assertThat(pacer.awaitOffset(Duration.ofMillis(5))).isTrue();
        assertThat(waits).containsExactly(4_000_000L);
        assertThat(pacer.elapsed()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void doesNotWaitForWhatIsAlreadyDueSoItCatchesUp() throws InterruptedException {
        pacer.start();
        now += 50_000_000;

        assertThat(pacer.awaitOffset(Duration.ofMillis(10))).isTrue();
        assertThat(pacer.awaitOffset(Duration.ofMillis(50))).isTrue();
        assertThat(waits).isEmpty();
    }

    @Test
    void waitsAgainAfterAnEarlyWakeUp() throws InterruptedException {
        pacer.start();
        halfWakeUps = true;

        assertThat(pacer.awaitOffset(Duration.ofNanos(800))).isTrue();
        assertThat(waits).containsExactly(800L, 400L, 200L, 100L, 50L, 25L, 13L, 7L, 4L, 2L, 1L);
    }

    @Test
    void aStopEndsTheWait() throws InterruptedException {
        pacer.start();
        stopped = true;

        assertThat(pacer.awaitOffset(Duration.ofSeconds(60))).isFalse();
        assertThat(waits).containsExactly(60_000_000_000L);
    }
}
