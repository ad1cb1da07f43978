package org.smartcity.jobs;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.smartcity.core.ZoneAggregate;

/**
 * What {@link CityAggregationJob#aggregate} produces: the aggregates of every window length, and
 * the readings that were too late to count in any.
 *
 * @param aggregates one element per window emission (revision 1, then one per correction)
 * @param lateReadings readings beyond the allowed lateness, each once
 */
public record AggregationStreams(
        DataStream<ZoneAggregate> aggregates, DataStream<LateReading> lateReadings) {}
