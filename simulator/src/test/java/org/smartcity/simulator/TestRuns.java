package org.smartcity.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.smartcity.core.validation.ReadingValidator;
import org.smartcity.core.validation.ValidationPolicy;
import org.smartcity.core.validation.Verdict;

/** Generated runs and the bridge's validator, for tests that need no broker. */
final class TestRuns {
    /** 2026-11-24 13:00 in Kunming (05:00 UTC), a Tuesday in the dry season. */
    static final Instant TUESDAY_1PM = Instant.parse("2026-11-24T05:00:00Z");

    static final Clock CLOCK = Clock.fixed(TUESDAY_1PM, ZoneOffset.UTC);

    private TestRuns() {}

    /** Every message of a run configured by flags, started at {@link #CLOCK}. */
    static List<SimulatedMessage> generate(String... flags) {
        return generate(SimulatorConfig.parse(flags), CLOCK);
    }

    static List<SimulatedMessage> generate(SimulatorConfig config, Clock clock) {
        List<SimulatedMessage> messages = new ArrayList<>();
        new MessageGenerator(config, clock).forEachRemaining(messages::add);
        return messages;
    }

    /** A clock at a local time in Kunming. */
    static Clock kunmingClock(String localDateTime) {
        return Clock.fixed(
                java.time.LocalDateTime.parse(localDateTime)
                        .atZone(ZoneId.of("Asia/Shanghai"))
                        .toInstant(),
                ZoneOffset.UTC);
    }

    /** The bridge's validator with the default policy, its clock at each message's send time. */
    static final class Bridge {
        private final MutableClock clock = new MutableClock(TUESDAY_1PM);
        private final ReadingValidator validator;

        Bridge(SimulatorConfig config) {
            validator = new ReadingValidator(ValidationPolicy.defaults(config.area()), clock);
        }

        Bridge() {
            this(SimulatorConfig.parse());
        }

        /** The verdicts for a message received when it was due. */
        List<Verdict> receive(SimulatedMessage m) {
            clock.set(m.sendTime());
            return validator.validate(m.topic(), m.payload());
        }
    }

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
