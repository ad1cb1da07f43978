package org.smartcity.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.smartcity.core.ZoneAggregate;

/**
 * The JSON form of a {@link ZoneAggregate} in the aggregates topic ({@value
 * JobConfig#DEFAULT_AGGREGATES_TOPIC}), keyed by its feature id, e.g. {@code
 * {"featureId":"pm25|city|kunming|1795496400000|1m","metric":"pm25","unit":"ug/m3","aggregation":"mean","zoneKind":"city","zoneId":"kunming","windowStartMillis":1795496400000,"windowEndMillis":1795496460000,"windowLength":"1m","count":12,"distinctSensors":4,"mean":38.5,"min":20.0,"max":61.0,"sum":462.0,"p50":37.9,"p95":60.2,"revision":1,"coverage":1}}.
 *
 * <p>A consumer keeps, per feature id, the record with the highest revision.
 */
public final class ZoneAggregateJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ZoneAggregateJson() {}

    public static byte[] encode(ZoneAggregate a) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(384);
                JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("featureId", a.featureId());
            g.writeStringField("metric", a.metric().id());
            g.writeStringField("unit", a.metric().unit());
            g.writeStringField(
                    "aggregation", a.metric().aggregation().name().toLowerCase(Locale.ROOT));
            g.writeStringField("zoneKind", a.zoneKind().id());
            g.writeStringField("zoneId", a.zoneId());
            g.writeNumberField("windowStartMillis", a.windowStartMillis());
            g.writeNumberField("windowEndMillis", a.windowEndMillis());
            g.writeStringField("windowLength", ZoneAggregate.windowLabel(a.windowLengthMillis()));
            g.writeNumberField("count", a.count());
            g.writeNumberField("distinctSensors", a.distinctSensors());
            g.writeNumberField("mean", a.mean());
            g.writeNumberField("min", a.min());
            g.writeNumberField("max", a.max());
            g.writeNumberField("sum", a.sum());
            g.writeNumberField("p50", a.p50());
            g.writeNumberField("p95", a.p95());
            g.writeNumberField("revision", a.revision());
            g.writeNumberField("coverage", a.coverage());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + a, e);
        }
    }
}
