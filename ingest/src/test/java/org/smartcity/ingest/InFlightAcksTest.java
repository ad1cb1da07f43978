package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightAcksTest {
    private final List<Integer> acked = new ArrayList<>();
    private final InFlightAcks acks = new InFlightAcks((id, qos) -> acked.add(id));

    @Test
    void acknowledgesInArrivalOrderWhenKafkaCompletesOutOfOrder() throws Exception {
        InFlightAcks.Delivery first = acks.register(1, 1, 1);
        InFlightAcks.Delivery second = acks.register(2, 1, 2);

        acks.recordDone(second);
        acks.recordDone(second);
        assertThat(acked).isEmpty();

        acks.recordDone(first);
        assertThat(acked).containsExactly(1, 2);
        assertThat(acks.size()).isZero();
    }

    @Test
    void aFailedMessageHoldsBackEverythingAfterIt() throws Exception {
        InFlightAcks.Delivery failed = acks.register(1, 1, 1);
        InFlightAcks.Delivery later = acks.register(2, 1, 1);

        acks.recordFailed(failed);
        acks.recordDone(later);

        assertThat(acked).isEmpty();
        assertThat(acks.size()).isEqualTo(2);
    }

    @Test
    void afterAReconnectLateKafkaAcknowledgementsOfTheOldConnectionAreIgnored() throws Exception {
        InFlightAcks.Delivery old = acks.register(5, 1, 1);
        acks.reset();
        InFlightAcks.Delivery fresh = acks.register(5, 1, 1);

        acks.recordDone(old);
        assertThat(acked).isEmpty();

        acks.recordDone(fresh);
        assertThat(acked).containsExactly(5);
    }

    @Test
    void qosZeroMessagesNeedNoAcknowledgement() throws Exception {
        acks.recordDone(acks.register(0, 0, 1));
        assertThat(acked).isEmpty();
        assertThat(acks.size()).isZero();
    }
}
