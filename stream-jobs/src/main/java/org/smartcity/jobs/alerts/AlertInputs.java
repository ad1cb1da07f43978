package org.smartcity.jobs.alerts;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * The readings reduced to what the rules on readings need, in one operator chained to the source: a
 * {@link SensorSample} of each reading the sensor and silent-sensor rules need ({@link
 * SensorRulesFunction#needs}) on the main output, and for each coverage rule the {@link
 * DistrictReading} of each reading of its metric (none outside every district) on {@link
 * #coverage(CoverageRule)}. One operator rather than one per rule kind: Flink copies a reading for
 * every operator chained to the source, and that copy cost the alert stage as much as its shuffle.
 */
final class AlertInputs extends ProcessFunction<Reading, SensorSample> {
    private static final long serialVersionUID = 1L;

    private final EnumSet<Metric> sampled;
    private final List<CoverageRule> coverage;
    private final List<OutputTag<DistrictReading>> tags;
    private final ZoningSpec spec;
    private transient Zoning zoning;

    /**
     * The district of each position seen, as {@link Zoning#district} gives it: sensors stand still,
     * and the lookup (a point in the districts' polygons) was a visible part of the alert stage's
     * cost in the alert benchmark. Emptied when it holds {@link #MAX_POSITIONS}.
     */
    private transient Map<Position, Optional<Zone>> districts;

    /** Far more positions than a city's sensors have (the benchmark's: 50,000). */
    private static final int MAX_POSITIONS = 500_000;

    private record Position(double lat, double lon) {}

    /**
     * @param rules decides which readings become samples
     * @param coverage the coverage rules
     * @param spec the zoning (needed only with coverage rules)
     */
    AlertInputs(SensorRulesFunction rules, List<CoverageRule> coverage, ZoningSpec spec) {
        this.sampled = EnumSet.noneOf(Metric.class);
        for (Metric m : Metric.values()) {
            if (rules != null && rules.needs(m)) {
                sampled.add(m);
            }
        }
        this.coverage = List.copyOf(coverage);
        this.tags = this.coverage.stream().map(AlertInputs::coverage).toList();
        this.spec = spec;
    }

    /** The side output of coverage rule {@code rule}'s district readings. */
    static OutputTag<DistrictReading> coverage(CoverageRule rule) {
        return new OutputTag<>("coverage-" + rule.id(), TypeInformation.of(DistrictReading.class));
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<SensorSample> out) {
        if (sampled.contains(r.metric())) {
            out.collect(SensorSample.of(r));
        }
        Optional<Zone> district = null;
        for (int i = 0; i < coverage.size(); i++) {
            if (coverage.get(i).metric() != r.metric()) {
                continue;
            }
            if (district == null) {
                district = districtOf(r.lat(), r.lon());
            }
            if (district.isPresent()) {
                ctx.output(
                        tags.get(i),
                        new DistrictReading(district.get().id(), r.sensorId(), r.metric()));
            }
        }
    }

    private Optional<Zone> districtOf(double lat, double lon) {
        if (zoning == null) {
            zoning = Zoning.create(spec);
            districts = new HashMap<>();
        }
        Position at = new Position(lat, lon);
        Optional<Zone> district = districts.get(at);
        if (district == null) {
            if (districts.size() >= MAX_POSITIONS) {
                districts.clear();
            }
            district = zoning.district(lat, lon);
            districts.put(at, district);
        }
        return district;
    }
}
