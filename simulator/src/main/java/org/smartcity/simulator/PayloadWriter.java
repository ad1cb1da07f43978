package org.smartcity.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.smartcity.core.Reading;

/**
 * Writes readings as the payload contract's JSON: {@code
 * {"sensorId":"km-pm25-0042","metric":"pm25","ts":"2026-11-24T05:00:00.250Z","lat":25.0406,"lon":102.7123,"value":38.5,"unit":"ug/m3","seq":1234}},
 * or an array of such objects for a gateway. Numbers are written in plain decimal notation with the
 * device's resolution, timestamps as UTC with milliseconds, so equal readings give equal bytes.
 */
final class PayloadWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final int COORDINATE_DECIMALS = 6;

    private PayloadWriter() {}

    /**
     * The payload for one sensor's readings.
     *
     * @param array whether to write a gateway array, even of one reading
     */
    static byte[] write(List<ReadingDraft> readings, boolean array) {
        if (!array) {
            ReadingDraft only = readings.get(0);
            if (only.fault() == Fault.MALFORMED) {
                return malformed(only);
            }
        }
        try (ByteArrayBuilder out = new ByteArrayBuilder(160 * readings.size());
                JsonGenerator g = JSON.createGenerator(out)) {
            if (array) {
                g.writeStartArray();
                for (ReadingDraft r : readings) {
                    if (r.fault() == Fault.MALFORMED) {
                        // A gateway that passed on a CSV record: an element that is not an object.
                        g.writeString(csv(r));
                    } else {
                        object(g, r);
                    }
                }
                g.writeEndArray();
            } else {
                object(g, readings.get(0));
            }
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write readings", e);
        }
    }

    /**
     * The reading a bridge makes of {@code r}'s JSON object: its fields with the numbers as this
     * class writes them, so a test can compare it with what reaches Kafka.
     *
     * @param city the city of the topic
     */
    static Reading forwarded(ReadingDraft r, String city) {
        return new Reading(
                r.sensor().id(),
                r.sensor().metric(),
                city,
                r.timestampMillis(),
                Double.parseDouble(plain(r.sensor().lat(), COORDINATE_DECIMALS)),
                Double.parseDouble(plain(r.sensor().lon(), COORDINATE_DECIMALS)),
                Double.parseDouble(plain(r.value(), ValueModel.decimals(r.sensor().metric()))),
                r.seq());
    }

    static String timestamp(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }

    private static void object(JsonGenerator g, ReadingDraft r) throws IOException {
        g.writeStartObject();
        g.writeStringField("sensorId", r.sensor().id());
        g.writeStringField("metric", r.sensor().metric().id());
        g.writeStringField("ts", timestamp(r.timestampMillis()));
        g.writeFieldName("lat");
        g.writeNumber(plain(r.sensor().lat(), COORDINATE_DECIMALS));
        g.writeFieldName("lon");
        g.writeNumber(plain(r.sensor().lon(), COORDINATE_DECIMALS));
        g.writeFieldName("value");
        g.writeNumber(plain(r.value(), ValueModel.decimals(r.sensor().metric())));
        g.writeStringField("unit", r.unit());
        g.writeNumberField("seq", r.seq());
        g.writeEndObject();
    }

    /** A malformed single payload: a CSV line, or the JSON object cut short. */
    private static byte[] malformed(ReadingDraft r) {
        if (Double.isNaN(r.malformedCut())) {
            return csv(r).getBytes(StandardCharsets.UTF_8);
        }
        byte[] whole = write(List.of(r.withoutFault()), false);
        // Any proper prefix of a JSON object is invalid JSON: keep 1 to length - 1 bytes.
        int keep = 1 + (int) (r.malformedCut() * (whole.length - 1));
        return Arrays.copyOf(whole, Math.min(keep, whole.length - 1));
    }

    private static String csv(ReadingDraft r) {
        return String.join(
                ",",
                r.sensor().id(),
                r.sensor().metric().id(),
                timestamp(r.timestampMillis()),
                plain(r.sensor().lat(), COORDINATE_DECIMALS),
                plain(r.sensor().lon(), COORDINATE_DECIMALS),
                plain(r.value(), ValueModel.decimals(r.sensor().metric())));
    }

    /** A number with at most {@code decimals} places, no exponent, no trailing zeros. */
    static String plain(double value, int decimals) {
        return BigDecimal.valueOf(value)
                .setScale(decimals, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }
}
