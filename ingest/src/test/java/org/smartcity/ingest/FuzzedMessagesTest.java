package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.CityArea;
import org.smartcity.core.validation.ReadingValidator;
import org.smartcity.core.validation.ValidationPolicy;
import org.smartcity.core.validation.Verdict;

/**
 * The fuzz corpus of {@link BridgeFuzzIT} against the validator alone, message by message: quick to
 * run, and it names the message when the generator and the validator disagree.
 */
class FuzzedMessagesTest {
    private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");

    @Test
    void theValidatorJudgesEveryElementAsItsFaultCallsFor() {
        ReadingValidator validator =
                new ReadingValidator(
                        ValidationPolicy.defaults(CityArea.KUNMING),
                        Clock.fixed(NOW, ZoneOffset.UTC));
        FuzzedMessages generator = new FuzzedMessages(42L, NOW, "kunming");
        for (int n = 0; n < 20_000; n++) {
            FuzzedMessages.Message m = generator.next(n);
            List<String> verdicts =
                    validator.validate(m.topic(), m.payload()).stream()
                            .map(v -> identity(m.topic(), v))
                            .toList();
            assertThat(verdicts).as("message %d on %s", n, m.topic()).isEqualTo(m.expected());
        }
    }

    private static String identity(String topic, Verdict v) {
        if (v instanceof Verdict.Accepted a) {
            return FuzzedMessages.accepted(a.reading().sensorId(), a.reading().seq());
        }
        Verdict.Rejected r = (Verdict.Rejected) v;
        return FuzzedMessages.rejected(topic, r.elementIndex(), r.rejection().reason());
    }
}
