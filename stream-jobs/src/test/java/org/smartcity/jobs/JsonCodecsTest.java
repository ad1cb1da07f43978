package org.smartcity.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartcity.jobs.TestReadings.WEST_1;
import static org.smartcity.jobs.TestReadings.at;
import static org.smartcity.jobs.TestReadings.pm25;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.ReadingJson;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

class JsonCodecsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneAggregate aggregate =
            new ZoneAggregate(
                    Metric.NOISE,
                    ZoneKind.DISTRICT,
                    "530102",
                    at("05:00:00"),
                    900_000,
                    12,
                    4,
                    67.5,
                    52,
                    81.5,
                    790,
                    66,
                    80,
                    2,
                    11);

    @Test
    void writesAnAggregateWithItsFeatureId() throws Exception {
        JsonNode json = JSON.readTree(ZoneAggregateJson.encode(aggregate));

        assertThat(json.get("featureId").asText())
                .isEqualTo("noise|district|530102|" + at("05:00:00") + "|15m");
        assertThat(json.get("metric").asText()).isEqualTo("noise");
        assertThat(json.get("unit").asText()).isEqualTo("dB(A)");
        assertThat(json.get("aggregation").asText()).isEqualTo("energetic_mean");
        assertThat(json.get("zoneKind").asText()).isEqualTo("district");
        assertThat(json.get("windowEndMillis").asLong()).isEqualTo(at("05:15:00"));
        assertThat(json.get("windowLength").asText()).isEqualTo("15m");
        assertThat(json.get("count").asLong()).isEqualTo(12);
        assertThat(json.get("distinctSensors").asLong()).isEqualTo(4);
        assertThat(json.get("mean").asDouble()).isEqualTo(67.5);
        assertThat(json.get("p95").asDouble()).isEqualTo(80);
        assertThat(json.get("revision").asInt()).isEqualTo(2);
        assertThat(json.get("coverage").asLong()).isEqualTo(11);
    }

    @Test
    void writesALateReadingThatCanBeReplayed() throws Exception {
        Reading r = pm25(WEST_1, "05:00:10", 38.5);
        LateReading late =
                new LateReading(r, at("05:00:00"), at("05:01:00"), at("05:11:00"), 600_000);

        JsonNode json = JSON.readTree(LateReadingJson.encode(late));

        assertThat(ReadingJson.decode(JSON.writeValueAsBytes(json.get("reading")))).isEqualTo(r);
        assertThat(json.get("reason").asText()).isEqualTo("BEYOND_ALLOWED_LATENESS");
        assertThat(json.get("detail").asText()).contains("closed").contains("600000 ms");
        assertThat(json.get("watermarkMillis").asLong()).isEqualTo(at("05:11:00"));
        assertThat(json.get("allowedLatenessMillis").asLong()).isEqualTo(600_000);
    }

    @Test
    void kafkaRecordsAreKeyedByFeatureId() {
        var schema =
                new KeyedJsonSerializationSchema<ZoneAggregate>(
                        "aggregates", ZoneAggregate::featureId, ZoneAggregateJson::encode);

        ProducerRecord<byte[], byte[]> record = schema.serialize(aggregate, null, 123L);

        assertThat(record.topic()).isEqualTo("aggregates");
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo(aggregate.featureId());
        assertThat(record.value()).isEqualTo(ZoneAggregateJson.encode(aggregate));
        assertThat(record.timestamp()).isEqualTo(123L);
    }
}
