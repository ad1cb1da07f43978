package org.smartcity.dashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The counting client's byte matcher, which must find events split across reads. */
class SseClientTest {
    /** A stream as LiveStream writes it: two aggregate events, a status event between them. */
    private static final String STREAM =
            "retry: 3000\n: connected\n\n"
                    + "event: aggregate\ndata: {\"id\":\"a\",\"event\":\"aggregate\"}\n\n"
                    + "event: status\ndata: {\"x\":\"event: aggregate\"}\n\n"
                    + ": heartbeat\n\n"
                    + "event: aggregate\ndata: {\"id\":\"b\"}\n\n";

    @Test
    void countsEachAggregateEventOnceWhateverTheByteOrder() {
        SseClient.Matcher m = new SseClient.Matcher(SseClient.AGGREGATE_EVENT);
        int found = 0;
        // Fed one byte at a time: every split point between two reads is covered.
        for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) {
            if (m.next(b)) {
                found++;
            }
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void findsAPatternThatOverlapsItself() {
        SseClient.Matcher m = new SseClient.Matcher("aab".getBytes(StandardCharsets.UTF_8));
        int found = 0;
        for (byte b : "aaabaab".getBytes(StandardCharsets.UTF_8)) {
            if (m.next(b)) {
                found++;
            }
        }
        assertThat(found).isEqualTo(2);
    }
}
