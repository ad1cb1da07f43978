package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.store.AggregateSchema;
import org.smartcity.store.StoredAggregate;

/**
 * A batch of live-layer changes on the stream: the events, in the batch's order, each client only
 * those its filter accepts, emissions older than one already sent left out, and the whole batch in
 * one write and one flush per client, byte for byte as events were sent one at a time.
 */
class LiveFeedTest {
    private static final long MINUTE = 60_000;

    /** A client that records each write and each flush. */
    private static final class Recording extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final List<String> flushed = new ArrayList<>();
        private int writes;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            flushed.add(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }

        synchronized List<String> flushed() {
            return List.copyOf(flushed);
        }

        synchronized int writes() {
            return writes;
        }
    }

    private final LiveStream stream = new LiveStream(Duration.ofMinutes(1), 10);
    private final AggregateFeatures features = new AggregateFeatures(Zoning.kunming());
    private final LiveFeed feed =
            new LiveFeed(
                    stream,
                    features,
                    new ReadingsMonitor("localhost:1", Clock.systemUTC(), Duration.ofMinutes(2)));
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        stream.close();
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    private Recording connect(LiveStream.Filter filter) {
        Recording out = new Recording();
        Thread t = new Thread(() -> stream.serve(out, filter));
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return out;
    }

    private static StoredAggregate pm25(String district, long windowStart, int revision) {
        return aggregate(Metric.PM25, district, windowStart, revision);
    }

    private static StoredAggregate aggregate(
            Metric metric, String district, long windowStart, int revision) {
        ZoneAggregate a =
                new ZoneAggregate(
                        metric,
                        ZoneKind.DISTRICT,
                        district,
                        windowStart,
                        MINUTE,
                        10,
                        3,
                        35.5,
                        20,
                        50,
                        355,
                        35,
                        48,
                        revision,
                        3);
        return new StoredAggregate(
                AggregateSchema.liveId(a), a, null, Instant.parse("2026-12-05T07:00:00Z"));
    }

    /** Each event of a flush as "{id} {window_start} r{revision}", from its data line. */
    private static List<String> events(String flush) {
        List<String> events = new ArrayList<>();
        for (String event : flush.split("\n\n")) {
            assertThat(event).startsWith("event: aggregate\ndata: ");
            try {
                JsonNode f = Json.MAPPER.readTree(event.substring(event.indexOf("data: ") + 6));
                JsonNode p = f.get("properties");
                events.add(
                        f.get("id").asText()
                                + " "
                                + p.get("window_start").asText()
                                + " r"
                                + p.get("revision").asInt());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    @Test
    void aBatchGoesOutInOrderFilteredNewestWinsOneWriteAndOneFlushPerClient() {
        Recording all = connect(new LiveStream.Filter(null, null, null));
        Recording pm25 = connect(new LiveStream.Filter("pm25", "district", "1m"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.clients() == 2);

        feed.aggregatesChanged(
                List.of(
                        pm25("530102", MINUTE, 1),
                        aggregate(Metric.NO2, "530102", MINUTE, 1),
                        pm25("530102", MINUTE, 2),
                        pm25("530103", MINUTE, 1),
                        // A replay of an emission older than one just sent: left out.
                        pm25("530102", MINUTE, 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == 4 + 3);
        StoredAggregate next = pm25("530102", 2 * MINUTE, 1);
        feed.aggregatesChanged(List.of(next, pm25("530103", 0, 7)));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.eventsSent() == 7 + 2);

        String connected = "retry: 3000\n: connected\n\n";
        assertThat(all.flushed()).hasSize(3).startsWith(connected);
        assertThat(events(all.flushed().get(1)))
                .containsExactly(
                        "pm25|district|530102|1m 1970-01-01T00:01:00Z r1",
                        "no2|district|530102|1m 1970-01-01T00:01:00Z r1",
                        "pm25|district|530102|1m 1970-01-01T00:01:00Z r2",
                        "pm25|district|530103|1m 1970-01-01T00:01:00Z r1");
        // Byte for byte what publishing one event at a time sent.
        assertThat(all.flushed().get(2))
                .isEqualTo("event: aggregate\ndata: " + Json.text(features.feature(next)) + "\n\n");
        assertThat(pm25.flushed()).hasSize(3).startsWith(connected);
        assertThat(events(pm25.flushed().get(1)))
                .containsExactly(
                        "pm25|district|530102|1m 1970-01-01T00:01:00Z r1",
                        "pm25|district|530102|1m 1970-01-01T00:01:00Z r2",
                        "pm25|district|530103|1m 1970-01-01T00:01:00Z r1");
        assertThat(pm25.flushed().get(2)).isEqualTo(all.flushed().get(2));
        // The connect line, then one write per batch.
        assertThat(all.writes()).isEqualTo(3);
        assertThat(pm25.writes()).isEqualTo(3);
    }
}
