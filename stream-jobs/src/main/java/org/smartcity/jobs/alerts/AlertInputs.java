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
 *
 * <p>When asked to, it also tells where the sampled sensors stand, on {@link #POSITIONS}: a {@link
 * SensorPosition} when a sensor is first seen by this subtask or its position changes, not for
 * every reading (sensors stand still), so that the alerts of a sensor can be stored with its point
 * ({@link AlertPositionFunction}). After a restart every sensor's next reading tells it again. It
 * is asked to only when no {@link HeardCombiner} follows: that one tells the positions itself, from
 * the lookup of the sensor it makes anyway, where this one would need a lookup of its own for every
 * reading (one such lookup was the combiner's largest cost in the alert benchmark).
 */
final class AlertInputs extends ProcessFunction<Reading, SensorSample> {
    private static final long serialVersionUID = 1L;

    private final EnumSet<Metric> sampled;
    private final List<CoverageRule> coverage;
    private final List<OutputTag<DistrictReading>> tags;
    private final ZoningSpec spec;
    private final boolean positions;
    private transient Zoning zoning;

    /** The newest position told for each sensor; emptied when it holds {@link #MAX_POSITIONS}. */
    private transient Map<String, Position> told;

    /** The side output of sensors' positions (when a sensor is new here or has moved). */
    static final OutputTag<SensorPosition> POSITIONS =
            new OutputTag<>("sensor-positions", TypeInformation.of(SensorPosition.class));

    /**
     * The district of each position seen, as {@link Zoning#district} gives it: sensors stand still,
     * and the lookup (a point in the districts' polygons) was a visible part of the alert stage's
     * cost in the alert benchmark. Emptied when it holds {@link #MAX_POSITIONS}.
     */
    private transient Map<Position, Optional<Zone>> districts;

    /** Far more positions than a city's sensors have (the benchmark's: 50,000). */
    private static final int MAX_POSITIONS = 500_000;

    private record Position(double lat, double lon) {}

    /** Without positions. */
    AlertInputs(SensorRulesFunction rules, List<CoverageRule> coverage, ZoningSpec spec) {
        this(rules, coverage, spec, false);
    }

    /**
     * @param rules decides which readings become samples
     * @param coverage the coverage rules
     * @param spec the zoning (needed only with coverage rules)
     * @param positions whether to tell the sampled sensors' positions on {@link #POSITIONS}
     */
    AlertInputs(
            SensorRulesFunction rules,
            List<CoverageRule> coverage,
            ZoningSpec spec,
            boolean positions) {
        this.sampled = EnumSet.noneOf(Metric.class);
        for (Metric m : Metric.values()) {
            if (rules != null && rules.needs(m)) {
                sampled.add(m);
            }
        }
        this.coverage = List.copyOf(coverage);
        this.tags = this.coverage.stream().map(AlertInputs::coverage).toList();
        this.spec = spec;
        this.positions = positions && !sampled.isEmpty();
    }

    /** The side output of coverage rule {@code rule}'s district readings. */
    static OutputTag<DistrictReading> coverage(CoverageRule rule) {
        return new OutputTag<>("coverage-" + rule.id(), TypeInformation.of(DistrictReading.class));
    }

    @Override
    public void processElement(Reading r, Context ctx, Collector<SensorSample> out) {
        if (sampled.contains(r.metric())) {
            out.collect(SensorSample.of(r));
            if (positions) {
                tellPosition(r, ctx);
            }
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

    private void tellPosition(Reading r, Context ctx) {
        if (told == null) {
            told = new HashMap<>();
        }
        Position known = told.get(r.sensorId());
        if (known == null || known.lat() != r.lat() || known.lon() != r.lon()) {
            if (known == null && told.size() >= MAX_POSITIONS) {
                told.clear();
            }
            told.put(r.sensorId(), new Position(r.lat(), r.lon()));
            ctx.output(POSITIONS, new SensorPosition(r.sensorId(), r.lat(), r.lon()));
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
