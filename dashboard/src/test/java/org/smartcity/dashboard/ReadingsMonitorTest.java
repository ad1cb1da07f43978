package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.smartcity.core.KafkaTopics;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.RejectionReason;
import org.smartcity.core.http.Health;
import org.smartcity.dashboard.ReadingsMonitor.SensorState;

/** The monitor's bookkeeping, fed directly (no Kafka) with a clock the test moves. */
class ReadingsMonitorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");

    private static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final ReadingsMonitor monitor =
            new ReadingsMonitor("localhost:1", clock, Duration.ofMinutes(2));

    private static Reading pm25(String sensor, Instant ts, double value) {
        return new Reading(
                sensor, Metric.PM25, "kunming", ts.toEpochMilli(), 25.04, 102.7, value, null);
    }

    private long ago(Duration d) {
        return NOW.minus(d).toEpochMilli();
    }

    @Test
    void countsReadingsOfTheLastMinuteAndRejectionsOfTheLastHour() {
        monitor.record(pm25("a", NOW, 1), ago(Duration.ofSeconds(5)));
        monitor.record(pm25("a", NOW, 1), ago(Duration.ofSeconds(59)));
        monitor.record(pm25("a", NOW, 1), ago(Duration.ofSeconds(61)));
        monitor.recordRejection(RejectionReason.MALFORMED, ago(Duration.ofMinutes(1)));
        monitor.recordRejection(RejectionReason.MALFORMED, ago(Duration.ofMinutes(59)));
        monitor.recordRejection(RejectionReason.OUT_OF_AREA, ago(Duration.ofSeconds(3599)));
        monitor.recordRejection(RejectionReason.OVERSIZED, ago(Duration.ofMinutes(61)));

        ReadingsMonitor.Status s = monitor.status();

        assertThat(s.readingsPerMinute()).isEqualTo(2);
        assertThat(s.rejectedByReason())
                .hasSize(RejectionReason.values().length)
                .containsEntry(RejectionReason.MALFORMED, 2L);
        assertThat(s.rejectedByReason())
                .containsEntry(RejectionReason.OUT_OF_AREA, 1L)
                .containsEntry(RejectionReason.OVERSIZED, 0L);
        assertThat(s.rejectedTotal()).isEqualTo(3);

        clock.now = NOW.plusSeconds(3600);
        assertThat(monitor.status().rejectedTotal()).as("an hour later").isZero();
        assertThat(monitor.status().readingsPerMinute()).isZero();
    }

    @Test
    void aSensorKeepsItsNewestReadingAndIsSilentAfterTheThreshold() {
        Instant t = NOW.minusSeconds(30);
        monitor.record(pm25("a", t, 10), ago(Duration.ofSeconds(30)));
        // A backlog upload: older event time, received later. The value stays; last seen moves.
        monitor.record(pm25("a", t.minusSeconds(600), 99), ago(Duration.ofSeconds(10)));
        monitor.record(pm25("b", NOW.minusSeconds(300), 20), ago(Duration.ofSeconds(121)));
        monitor.record(pm25("c", NOW.minusSeconds(200), 30), ago(Duration.ofSeconds(200)));

        assertThat(monitor.sensor("a"))
                .isEqualTo(
                        new SensorState(
                                "a",
                                Metric.PM25,
                                25.04,
                                102.7,
                                10,
                                t.toEpochMilli(),
                                ago(Duration.ofSeconds(10))));
        ReadingsMonitor.Status s = monitor.status();
        assertThat(s.sensorsTotal()).isEqualTo(3);
        assertThat(s.sensorsActive()).isEqualTo(1);
        assertThat(s.silent())
                .as("most recently heard first")
                .extracting(SensorState::sensorId)
                .containsExactly("b", "c");
        assertThat(monitor.sensors())
                .extracting(SensorState::sensorId)
                .containsExactly("a", "b", "c");

        clock.now = NOW.plus(Duration.ofMinutes(5));
        assertThat(monitor.status().sensorsActive()).isZero();
        assertThat(Map.of("silent", monitor.status().silent().size())).containsEntry("silent", 3);
    }

    @Test
    void listsAtMostFiftySilentSensors() {
        for (int i = 0; i < 60; i++) {
            monitor.record(
                    pm25(String.format("s%02d", i), NOW.minusSeconds(600), i),
                    ago(Duration.ofSeconds(600 - i)));
        }
        ReadingsMonitor.Status s = monitor.status();
        assertThat(s.sensorsTotal()).isEqualTo(60);
        assertThat(s.silent()).hasSize(50);
        assertThat(s.silent().get(0).sensorId()).isEqualTo("s59");
        assertThat(s.silent().get(49).sensorId()).isEqualTo("s10");
    }

    private static ConsumerRecord<byte[], byte[]> readingRecord(long offset, String sensor) {
        Instant now = Instant.now();
        return TopicsConsumer.record(
                KafkaTopics.READINGS,
                offset,
                now.toEpochMilli(),
                sensor.getBytes(StandardCharsets.UTF_8),
                ReadingJson.encode(pm25(sensor, now, 10)),
                new RecordHeaders());
    }

    /** A monitor on {@code consumer} alone, started, once it has taken the readings' partition. */
    private static ReadingsMonitor startedOn(TopicsConsumer consumer) {
        ReadingsMonitor m =
                new ReadingsMonitor(
                        "unused:1", Clock.systemUTC(), Duration.ofMinutes(2), () -> consumer);
        m.start();
        TopicPartition readings = new TopicPartition(KafkaTopics.READINGS, 0);
        try {
            await().until(() -> consumer.assignment().contains(readings));
        } catch (RuntimeException | Error e) {
            m.close(); // its thread must not outlive the failed test
            throw e;
        }
        return m;
    }

    @Test
    void aFailedConsumerIsRestartedAndResumesWhereItWasWithoutCountingTwice() {
        TopicPartition readings = new TopicPartition(KafkaTopics.READINGS, 0);
        List<TopicsConsumer> made = new CopyOnWriteArrayList<>();
        ReadingsMonitor m =
                new ReadingsMonitor(
                        "unused:1",
                        Clock.systemUTC(),
                        Duration.ofMinutes(2),
                        () -> {
                            TopicsConsumer c =
                                    new TopicsConsumer(KafkaTopics.READINGS, KafkaTopics.REJECTED);
                            made.add(c);
                            return c;
                        });
        assertThat(m.dependency())
                .isEqualTo(Health.Dependency.down(ReadingsMonitor.NAME, "not started"));
        m.start();
        try {
            await().until(() -> made.size() == 1 && made.get(0).assignment().contains(readings));
            TopicsConsumer first = made.get(0);
            first.addRecord(readingRecord(0, "a"));
            await().until(() -> m.consumed() == 1);
            assertThat(m.dependency()).isEqualTo(Health.Dependency.up(ReadingsMonitor.NAME));

            first.setPollException(new KafkaException("broker said no"));
            await().until(() -> !m.dependency().up());
            assertThat(m.dependency().detail())
                    .isEqualTo(
                            "stopped (org.apache.kafka.common.KafkaException: broker said no);"
                                    + " restart 1 in 1 s");

            await().until(() -> made.size() == 2 && made.get(1).assignment().contains(readings));
            TopicsConsumer second = made.get(1);
            assertThat(second.position(readings)).as("resumes after offset 0").isEqualTo(1);
            second.addRecord(readingRecord(1, "b"));
            await().until(() -> m.consumed() == 2);
            assertThat(m.status().readingsPerMinute()).isEqualTo(2);
            assertThat(m.status().sensorsTotal()).isEqualTo(2);
            assertThat(m.dependency())
                    .isEqualTo(Health.Dependency.up(ReadingsMonitor.NAME, "restarted 1 times"));
        } finally {
            m.close();
        }
    }

    @Test
    void aDeadThreadOrAClosedMonitorIsDownWithTheReason() {
        TopicsConsumer c = new TopicsConsumer(KafkaTopics.READINGS, KafkaTopics.REJECTED);
        ReadingsMonitor m = startedOn(c);
        try {
            assertThat(m.dependency()).isEqualTo(Health.Dependency.up(ReadingsMonitor.NAME));
            // Not an exception the monitor recovers from: the error ends its thread.
            c.schedulePollTask(
                    () -> {
                        throw new AssertionError("killed by the test");
                    });
            await().until(() -> !m.dependency().up());
            assertThat(m.dependency())
                    .isEqualTo(
                            Health.Dependency.down(
                                    ReadingsMonitor.NAME,
                                    "thread died: java.lang.AssertionError: killed by the test"));
        } finally {
            m.close();
        }
        assertThat(m.dependency())
                .isEqualTo(Health.Dependency.down(ReadingsMonitor.NAME, "closed"));
    }

    @Test
    void aRecordItCannotReadIsSkippedNotFatal() {
        TopicsConsumer c = new TopicsConsumer(KafkaTopics.READINGS, KafkaTopics.REJECTED);
        ReadingsMonitor m = startedOn(c);
        try {
            c.addRecord(
                    new ConsumerRecord<>(
                            KafkaTopics.READINGS, 0, 0, null, (byte[]) null)); // tombstone
            c.addRecord(readingRecord(1, "a"));
            await().until(() -> m.consumed() == 2);
            assertThat(m.status().sensorsTotal()).isEqualTo(1);
            assertThat(m.dependency().up()).isTrue();
            assertThat(m.restarts()).isZero();
        } finally {
            m.close();
        }
    }
}
