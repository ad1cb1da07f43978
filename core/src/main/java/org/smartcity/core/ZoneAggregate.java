package org.smartcity.core;

import java.time.Duration;
import java.util.Objects;
import org.smartcity.core.zoning.ZoneKind;

/**
 * The statistics of one metric over one zone and one event-time window: what the stream job emits
 * and the stores keep.
 *
 * @param metric the catalogue metric
 * @param zoneKind h3, district or city
 * @param zoneId the cell address, district code or city id
 * @param windowStartMillis window start, epoch milliseconds (inclusive)
 * @param windowLengthMillis window length in milliseconds
 * @param count readings in the window
 * @param distinctSensors sensors that contributed
 * @param mean the metric's mean: arithmetic, or energetic (Leq) for noise
 * @param min smallest value
 * @param max largest value
 * @param sum total of the values (meaningful for summed metrics such as traffic)
 * @param p50 median, from a mergeable sketch (relative error at most 1%)
 * @param p95 95th percentile, from the same sketch
 * @param revision 1 for the first emission of a window, +1 for each correction by late readings
 * @param coverage how complete the window is: the number of shorter windows in it that have data.
 *     Windows shorter than a day count windows of the job's shortest length (minutes by default:
 *     the minutes with readings in an hour); a window rolled up from {@code 1h} (a local day)
 *     counts the hours with readings. 1 for a window of the shortest length; 0 when unknown (an
 *     aggregate read from a store written before coverage was counted). Validity rules such as GB
 *     3095-2012's (an hourly value needs 45 minutes, a daily one 20 hours; REFERENCE.md §1) are
 *     applied to it by {@link org.smartcity.core.indicators.IndicatorStandard}.
 */
public record ZoneAggregate(
        Metric metric,
        ZoneKind zoneKind,
        String zoneId,
        long windowStartMillis,
        long windowLengthMillis,
        long count,
        long distinctSensors,
        double mean,
        double min,
        double max,
        double sum,
        double p50,
        double p95,
        int revision,
        long coverage) {

    public ZoneAggregate {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(zoneKind, "zoneKind");
        Objects.requireNonNull(zoneId, "zoneId");
        if (coverage < 0) {
            throw new IllegalArgumentException("coverage must not be negative, was " + coverage);
        }
    }

    /**
     * The deterministic feature id {@code
     * {metric}|{zoneKind}|{zoneId}|{windowStartMillis}|{windowLength}}, e.g. {@code
     * pm25|district|530102|1795496400000|15m}: a replay writes the same id again, so stores
     * overwrite instead of double-counting. See {@link AggregateId.History}.
     */
    public String featureId() {
        return AggregateId.historyOf(this).toString();
    }

    /** This emission's window and revision, to compare with another of the same live id. */
    public WindowRevision windowRevision() {
        return WindowRevision.of(this);
    }

    /** This aggregate for another metric, every other field the same. */
    public ZoneAggregate withMetric(Metric other) {
        return with(other, coverage);
    }

    /** This aggregate with another {@link #coverage()}, every other field the same. */
    public ZoneAggregate withCoverage(long other) {
        return with(metric, other);
    }

    /** A copy with the two fields the {@code with} methods change. */
    private ZoneAggregate with(Metric newMetric, long newCoverage) {
        return new ZoneAggregate(
                newMetric,
                zoneKind,
                zoneId,
                windowStartMillis,
                windowLengthMillis,
                count,
                distinctSensors,
                mean,
                min,
                max,
                sum,
                p50,
                p95,
                revision,
                newCoverage);
    }

    /** The window end, exclusive. */
    public long windowEndMillis() {
        return windowStartMillis + windowLengthMillis;
    }

    /** A window length as written in feature ids and configuration: 30s, 1m, 15m, 1h, 1d. */
    public static String windowLabel(long lengthMillis) {
        Duration d = Duration.ofMillis(lengthMillis);
        if (lengthMillis % 86_400_000L == 0) {
            return d.toDays() + "d";
        }
        if (lengthMillis % 3_600_000L == 0) {
            return d.toHours() + "h";
        }
        if (lengthMillis % 60_000L == 0) {
            return d.toMinutes() + "m";
        }
        if (lengthMillis % 1_000L == 0) {
            return d.toSeconds() + "s";
        }
        return lengthMillis + "ms";
    }
}
