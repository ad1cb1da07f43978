package org.smartcity.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private HealthProbe probe() {
        return HealthProbe.manual(
                "kafka",
                Duration.ofSeconds(5),
                () -> {
                    Exception e = failure.get();
                    if (e != null) {
                        throw e;
                    }
                },
                nanos::get);
    }

    private void advance(int seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void downUntilTheFirstCheckThenFollowsTheLastCheck() {
        HealthProbe p = probe();
        assertThat(p.dependency())
                .isEqualTo(Health.Dependency.down("kafka", "first check not finished yet"));

        p.runOnce();
        assertThat(p.dependency()).isEqualTo(Health.Dependency.up("kafka"));

        advance(7);
        failure.set(
                new java.util.concurrent.ExecutionException(
                        new IOException("no answer from localhost:9")));
        p.runOnce();
        assertThat(p.dependency())
                .as("the innermost cause, and when it last answered")
                .isEqualTo(
                        Health.Dependency.down(
                                "kafka",
                                "IOException: no answer from localhost:9; last answered 7 s ago"));

        failure.set(null);
        p.runOnce();
        assertThat(p.up()).isTrue();
    }

    @Test
    void aCheckThatHangsIsDownOnceItExceedsTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        HealthProbe p =
                HealthProbe.manual(
                        "history",
                        Duration.ofSeconds(5),
                        () -> {
                            started.countDown();
                            release.await();
                        },
                        nanos::get);
        Thread t = new Thread(p::runOnce);
        t.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        advance(5);
        assertThat(p.dependency().detail()).isEqualTo("first check not finished yet");
        advance(1);
        assertThat(p.dependency())
                .isEqualTo(
                        Health.Dependency.down(
                                "history",
                                "no answer for 6 s (before: first check not finished yet)"));
        release.countDown();
        t.join(10_000);
        assertThat(p.up()).isTrue();
    }
}
