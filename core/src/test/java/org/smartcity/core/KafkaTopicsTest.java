package org.smartcity.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaTopicsTest {

    @Test
    void topicNamesAreTheContracts() {
        assertThat(KafkaTopics.READINGS).isEqualTo("smartcity.readings.v1");
        assertThat(KafkaTopics.REJECTED).isEqualTo("smartcity.readings.rejected.v1");
        assertThat(KafkaTopics.LATE).isEqualTo("smartcity.readings.late.v1");
        assertThat(KafkaTopics.ALERTS).isEqualTo("smartcity.alerts.v1");
    }

    @Test
    void deadLetterHeadersAreDistinct() {
        assertThat(
                        new String[] {
                            KafkaTopics.HEADER_REASON,
                            KafkaTopics.HEADER_DETAIL,
                            KafkaTopics.HEADER_MQTT_TOPIC,
                            KafkaTopics.HEADER_ELEMENT_INDEX,
                            KafkaTopics.HEADER_RECEIVED_AT
                        })
                .doesNotHaveDuplicates()
                .allSatisfy(header -> assertThat(header).startsWith("smartcity."));
    }
}
