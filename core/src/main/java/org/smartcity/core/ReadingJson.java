package org.smartcity.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The canonical JSON form of a validated {@link Reading} in the readings topic: the payload
 * contract's field names, {@code ts} as epoch milliseconds and the catalogue unit always present,
 * e.g. {@code
 * {"sensorId":"km-pm25-0042","metric":"pm25","city":"kunming","ts":1795496400250,"lat":25.0406,"lon":102.7123,"value":38.5,"unit":"ug/m3","seq":1234}}.
 */
public final class ReadingJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ReadingJson() {}

    public static byte[] encode(Reading r) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(192);
                JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensorId", r.sensorId());
            g.writeStringField("metric", r.metric().id());
            g.writeStringField("city", r.city());
            g.writeNumberField("ts", r.timestampMillis());
            g.writeNumberField("lat", r.lat());
            g.writeNumberField("lon", r.lon());
            g.writeNumberField("value", r.value());
            g.writeStringField("unit", r.metric().unit());
            if (r.seq() != null) {
                g.writeNumberField("seq", r.seq());
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + r, e);
        }
    }

    /**
     * Reads a record of the readings topic.
     *
     * @throws IllegalArgumentException when the bytes are not a canonical reading
     */
    public static Reading decode(byte[] json) {
        String sensorId = null;
        String metric = null;
        String city = null;
        Long ts = null;
        Long seq = null;
        double lat = Double.NaN;
        double lon = Double.NaN;
        double value = Double.NaN;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "sensorId" -> sensorId = text(p);
                    case "metric" -> metric = text(p);
                    case "city" -> city = text(p);
                    case "ts" -> ts = p.getLongValue();
                    case "lat" -> lat = p.getDoubleValue();
                    case "lon" -> lon = p.getDoubleValue();
                    case "value" -> value = p.getDoubleValue();
                    case "seq" -> seq = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a canonical reading: " + e.getMessage(), e);
        }
        if (sensorId == null
                || metric == null
                || city == null
                || ts == null
                || Double.isNaN(lat)
                || Double.isNaN(lon)
                || Double.isNaN(value)) {
            throw new IllegalArgumentException("not a canonical reading: a field is missing");
        }
        String metricId = metric;
        return new Reading(
                sensorId,
                Metric.byId(metric)
                        .orElseThrow(
                                () -> new IllegalArgumentException("unknown metric " + metricId)),
                city,
                ts,
                lat,
                lon,
                value,
                seq);
    }

    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(
                    "not a canonical reading: " + p.currentName() + " is not a string");
        }
        return p.getText();
    }
}
