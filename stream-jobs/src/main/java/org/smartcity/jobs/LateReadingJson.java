package org.smartcity.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.smartcity.core.ReadingJson;

/**
 * The JSON form of a {@link LateReading} in the late-readings topic, keyed by sensor id: the
 * reading in its canonical form ({@link ReadingJson}, so it can be replayed into the readings topic
 * as it is) and why it was not counted, e.g. {@code
 * {"reading":{"sensorId":"km-pm25-0042",...},"reason":"BEYOND_ALLOWED_LATENESS","detail":"window
 * [...) closed:
 * ...","windowStartMillis":...,"windowEndMillis":...,"watermarkMillis":...,"allowedLatenessMillis":600000}}.
 */
public final class LateReadingJson {
    /** The only reason a reading is late, for consumers that switch on it. */
    public static final String REASON = "BEYOND_ALLOWED_LATENESS";

    private static final JsonFactory JSON = new JsonFactory();

    private LateReadingJson() {}

    public static byte[] encode(LateReading late) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(384);
                JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("reading");
            g.writeRawValue(new String(ReadingJson.encode(late.reading()), StandardCharsets.UTF_8));
            g.writeStringField("reason", REASON);
            g.writeStringField("detail", late.detail());
            g.writeNumberField("windowStartMillis", late.windowStartMillis());
            g.writeNumberField("windowEndMillis", late.windowEndMillis());
            g.writeNumberField("watermarkMillis", late.watermarkMillis());
            g.writeNumberField("allowedLatenessMillis", late.allowedLatenessMillis());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + late, e);
        }
    }
}
