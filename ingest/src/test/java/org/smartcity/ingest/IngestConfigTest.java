package org.smartcity.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.Settings;

/** The bridge's options that are part of its contract. */
class IngestConfigTest {

    @Test
    void subscribesToEveryTopicUnderCitySoWrongShapesAreDeadLettered() {
        assertThat(IngestConfig.fromFlags().subscription()).isEqualTo("$share/ingest/city/#");
    }

    @Test
    void theFormerSubscriptionIsDroppedUnlessItIsTheConfiguredOne() {
        assertThat(IngestConfig.fromFlags().legacySubscription())
                .isEqualTo("$share/ingest/city/+/+/+");
        assertThat(IngestConfig.fromFlags("--mqtt-topic-filter", "city/+/+/+").legacySubscription())
                .isNull();
    }

    @Test
    void theGroupAndTheFilterCanBeChanged() {
        IngestConfig config =
                IngestConfig.fromFlags(
                        "--mqtt-share-group", "north", "--mqtt-topic-filter", "city/kunming/#");

        assertThat(config.subscription()).isEqualTo("$share/north/city/kunming/#");
    }

    @Test
    void httpListensOnLoopbackUnlessTold() {
        assertThat(IngestConfig.fromFlags().httpBind()).isEqualTo("127.0.0.1");
        assertThat(IngestConfig.fromFlags("--http-bind", "0.0.0.0").httpBind())
                .isEqualTo("0.0.0.0");
        assertThat(
                        IngestConfig.from(
                                        Settings.load(
                                                IngestConfig.OPTIONS,
                                                List.of(),
                                                Map.of("SMARTCITY_HTTP_BIND", "0.0.0.0")))
                                .httpBind())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void theProducerTakesTheConfiguredRecordSize() {
        assertThat(IngestConfig.fromFlags().producerProperties().get("max.request.size"))
                .isEqualTo(1024 * 1024);
        assertThat(
                        IngestConfig.fromFlags("--kafka-max-request-size", "65536")
                                .producerProperties()
                                .get("max.request.size"))
                .isEqualTo(65536);
    }
}
