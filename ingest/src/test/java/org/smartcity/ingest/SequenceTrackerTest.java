package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The per-device sequence accounting, with the meters it moves. */
class SequenceTrackerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SequenceTracker tracker;

    SequenceTrackerTest() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.bindTo(registry);
        tracker = new SequenceTracker(metrics);
    }

    private void device(String sensor, long... seqs) {
        for (long seq : seqs) {
            tracker.observe(sensor, seq, false);
        }
    }

    private double lost() {
        return registry.get("ingest.sequence.lost").gauge().value();
    }

    private double duplicates() {
        return registry.get("ingest.sequence.duplicates").counter().count();
    }

    private double resets() {
        return registry.get("ingest.sequence.resets").counter().count();
    }

    @Test
    void descendingReadingsFromANewDeviceLoseNothing() {
        device("a", 10, 9, 8);

        assertThat(lost()).isZero();
        assertThat(duplicates()).isZero();
    }

    @Test
    void aStepBackOpensAGapThatLateReadingsFill() {
        device("a", 10, 7);
        assertThat(lost()).isEqualTo(2.0); // 8 and 9

        device("a", 8);
        assertThat(lost()).isEqualTo(1.0);
        device("a", 9);
        assertThat(lost()).isZero();
        device("a", 9);
        assertThat(lost()).isZero();
        assertThat(duplicates()).isEqualTo(1.0);
    }

    @Test
    void forwardGapsAreFilledByLateReadingsAndRepeatsAreDuplicates() {
        device("a", 0, 1, 4, 2, 4);

        assertThat(lost()).isEqualTo(1.0); // 3
        assertThat(duplicates()).isEqualTo(1.0); // the second 4
    }

    @Test
    void redeliveriesAreNeverDeviceDuplicates() {
        device("a", 1, 2);
        tracker.observe("a", 2, true);
        tracker.observe("a", 1, true);
        assertThat(duplicates()).isZero();

        // A redelivered message that was never seen counts like any reading.
        tracker.observe("a", 4, true);
        assertThat(lost()).isEqualTo(1.0);
        tracker.observe("a", 3, true);
        assertThat(lost()).isZero();

        device("a", 2);
        assertThat(duplicates()).isEqualTo(1.0);
    }

    @Test
    void devicesAreAccountedSeparately() {
        device("a", 5, 7);
        device("b", 7, 5);
        device("b", 5);

        assertThat(lost()).isEqualTo(2.0); // a's 6 and b's 6
        assertThat(duplicates()).isEqualTo(1.0);
    }

    @Test
    void gapsBeyondTheWindowStayLostAndAFarStepBackIsARestart() {
        int window = SequenceTracker.WINDOW;
        device("a", 0, 2_000);
        assertThat(lost()).isEqualTo(1_999.0);

        device("a", 1_500); // inside the window below 2000: a late reading
        assertThat(lost()).isEqualTo(1_998.0);

        device("a", 2_000 - window); // just beyond the window: the counter restarted
        assertThat(resets()).isEqualTo(1.0);
        assertThat(lost()).isEqualTo(1_998.0);

        // After the restart the device counts up again from there, without new losses.
        device("a", 2_001 - window, 2_002 - window);
        assertThat(lost()).isEqualTo(1_998.0);
        assertThat(duplicates()).isZero();
    }

    @Test
    void followsABoundedNumberOfDevices() {
        IngestMetrics metrics = new IngestMetrics();
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        metrics.bindTo(own);
        SequenceTracker two = new SequenceTracker(metrics, 2);
        for (String device : List.of("a", "b", "c")) {
            two.observe(device, 1, false);
            two.observe(device, 3, false);
        }
        // "c" came third: its gap is not counted, the others' are.
        assertThat(own.get("ingest.sequence.lost").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void lostIsNeverNegativeAndEndsAsTheNumbersNeverSeen() {
        Random random = new Random(20261204L);
        for (int device = 0; device < 50; device++) {
            // A shuffled run of numbers with some dropped and some sent twice, all in one window.
            int base = random.nextInt(10_000);
            List<Long> sent = new ArrayList<>();
            for (long s = base; s < base + 300; s++) {
                if (random.nextInt(10) > 0) {
                    sent.add(s);
                }
            }
            List<Long> repeated = new ArrayList<>(sent.subList(0, 20));
            sent.addAll(repeated);
            Collections.shuffle(sent, random);
            for (long seq : sent) {
                tracker.observe("d" + device, seq, false);
                assertThat(lost()).isGreaterThanOrEqualTo(0);
            }
        }
        // Expected, from the inputs alone: per device, the numbers between the lowest and the
        // highest sent that were never sent; and every repeat.
        Random again = new Random(20261204L);
        long expectedLost = 0;
        for (int device = 0; device < 50; device++) {
            int base = again.nextInt(10_000);
            TreeSet<Long> distinct = new TreeSet<>();
            for (long s = base; s < base + 300; s++) {
                if (again.nextInt(10) > 0) {
                    distinct.add(s);
                }
            }
            expectedLost += distinct.last() - distinct.first() + 1 - distinct.size();
            List<Long> shuffledCopy = new ArrayList<>(distinct);
            shuffledCopy.addAll(shuffledCopy.subList(0, 20));
            Collections.shuffle(shuffledCopy, again); // keep both Randoms in step
        }
        assertThat(lost()).isEqualTo((double) expectedLost);
        assertThat(duplicates()).isEqualTo(50 * 20.0);
    }
}
