package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The live layer's handoff: every item, once, in order, in batches of what queued meanwhile. */
class LiveHandoffTest {

    private static List<Integer> range(int fromInclusive, int toInclusive) {
        return IntStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    private static int handed(List<List<Integer>> batches) {
        synchronized (batches) {
            return batches.stream().mapToInt(List::size).sum();
        }
    }

    @Test
    void whatQueuesWhileABatchIsPublishedGoesOnTogetherInOrderAtMostMaxBatchAtATime()
            throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        LiveHandoff<Integer> handoff =
                new LiveHandoff<>(
                        "test-handoff",
                        batch -> {
                            batches.add(List.copyOf(batch));
                            if (batches.size() == 1) {
                                firstStarted.countDown();
                                try {
                                    releaseFirst.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        });
        try {
            handoff.accept(0);
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // A burst arrives while the first item is being published.
            for (int i = 1; i <= 600; i++) {
                handoff.accept(i);
            }
            releaseFirst.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> handed(batches) == 601);

            assertThat(LiveHandoff.MAX_BATCH).isEqualTo(256);
            assertThat(batches)
                    .containsExactly(List.of(0), range(1, 256), range(257, 512), range(513, 600));
            // An item arriving alone afterwards goes on alone, at once.
            handoff.accept(601);
            await().atMost(Duration.ofSeconds(10)).until(() -> handed(batches) == 602);
            assertThat(batches.get(4)).containsExactly(601);
            assertThat(handoff.isAlive()).isTrue();
        } finally {
            releaseFirst.countDown();
            handoff.close();
        }
        assertThat(handoff.isAlive()).isFalse();
    }

    @Test
    void aBatchThatFailsDoesNotStopTheNext() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch failed = new CountDownLatch(1);
        try (LiveHandoff<Integer> handoff =
                new LiveHandoff<>(
                        "test-handoff",
                        batch -> {
                            if (batch.contains(13)) {
                                failed.countDown();
                                throw new IllegalStateException("bad batch");
                            }
                            batches.add(List.copyOf(batch));
                        })) {
            handoff.accept(13);
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            handoff.accept(14);
            await().atMost(Duration.ofSeconds(10)).until(() -> handed(batches) == 1);
            assertThat(batches).containsExactly(List.of(14));
            assertThat(handoff.isAlive()).isTrue();
        }
    }

    @Test
    void aProducerWaitingOnAFullHandoffIsLetGoWhenItCloses() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LiveHandoff<Integer> handoff =
                new LiveHandoff<>(
                        "test-handoff",
                        batch -> {
                            started.countDown();
                            try {
                                never.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        // One item held by the stuck publisher, then the queue filled up.
        handoff.accept(0);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= LiveHandoff.CAPACITY; i++) {
            handoff.accept(i);
        }
        Thread producer = new Thread(() -> handoff.accept(-1));
        producer.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> producer.getState() == Thread.State.TIMED_WAITING);

        handoff.close();
        producer.join(10_000);
        assertThat(producer.isAlive()).isFalse();
    }
}
