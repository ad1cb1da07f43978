package org.smartcity.jobs.alerts;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/** The district of each reading of one metric (none outside every district), for coverage rules. */
final class DistrictOf implements FlatMapFunction<Reading, DistrictReading> {
    private static final long serialVersionUID = 1L;

    private final ZoningSpec spec;
    private final Metric metric;
    private transient Zoning zoning;

    DistrictOf(ZoningSpec spec, Metric metric) {
        this.spec = spec;
        this.metric = metric;
    }

    @Override
    public void flatMap(Reading r, Collector<DistrictReading> out) {
        if (r.metric() != metric) {
            return;
        }
        if (zoning == null) {
            zoning = Zoning.create(spec);
        }
        zoning.district(r.lat(), r.lon())
                .ifPresent(d -> out.collect(new DistrictReading(d.id(), r.sensorId(), r.metric())));
    }
}
