package org.smartcity.jobs;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import it.unimi.dsi.fastutil.longs.LongSet;
import it.unimi.dsi.fastutil.longs.LongSets;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.smartcity.core.Aggregation;
import org.smartcity.core.ZoneAggregate;

/**
 * The statistics of one metric over one zone and window, kept so that two of them merge into the
 * statistics of the union of their readings: the accumulator of the shortest windows and the unit
 * that longer windows are rolled up from.
 *
 * <p>Every part merges exactly (count, sums, min, max, the set of sensors) except the quantiles,
 * which come from a DDSketch with 1% relative accuracy: a merged sketch answers with the same
 * guarantee as one fed every value. Sensors are kept as 64-bit hashes of their ids ({@link
 * SensorIds}: exact but for a collision, about 7 in 100 billion for 50,000 sensors). For sound
 * levels the sum of the energies 10^(L/10) is kept as well, because the energetic mean (Leq) is not
 * a function of the arithmetic mean.
 *
 * <p>Mutable, as a Flink accumulator is; Flink serializes it with {@link ZoneStatsSerializer},
 * never Kryo.
 */
@TypeInfo(ZoneStatsTypeInfo.Factory.class)
public final class ZoneStats {
    /** The sketch's relative accuracy: quantiles within 1% of the exact ones. */
    public static final double RELATIVE_ACCURACY = 0.01;

    private long count;
    private double sum;
    private double energySum;
    private double min;
    private double max;
    private final LongOpenHashSet sensors;
    private final DDSketch sketch;
    private long coverage;

    /** Empty statistics. */
    public ZoneStats() {
        this(
                0,
                0,
                0,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                new LongOpenHashSet(),
                newSketch(),
                0);
    }

    ZoneStats(
            long count,
            double sum,
            double energySum,
            double min,
            double max,
            LongOpenHashSet sensors,
            DDSketch sketch,
            long coverage) {
        this.count = count;
        this.sum = sum;
        this.energySum = energySum;
        this.min = min;
        this.max = max;
        this.sensors = sensors;
        this.sketch = sketch;
        this.coverage = coverage;
    }

    /** A sketch as every {@link ZoneStats} has: merging needs the same index mapping. */
    static DDSketch newSketch() {
        return DDSketches.unboundedDense(RELATIVE_ACCURACY);
    }

    /**
     * Counts one reading.
     *
     * @param energetic whether to keep the energy sum for an energetic mean (sound levels only:
     *     10^(L/10) overflows for the large values of other metrics)
     */
    public void add(String sensorId, double value, boolean energetic) {
        add(SensorIds.hash(sensorId), value, energetic);
    }

    /**
     * Counts one reading of the sensor whose id has hash {@code sensor} ({@link SensorIds#hash}),
     * as {@link #add(String, double, boolean)}.
     */
    void add(long sensor, double value, boolean energetic) {
        count++;
        sum += value;
        if (energetic) {
            energySum += Math.pow(10, value / 10);
        }
        min = Math.min(min, value);
        max = Math.max(max, value);
        sensors.add(sensor);
        sketch.accept(value);
        // Readings make one window of the shortest length: it has data.
        coverage = 1;
    }

    /**
     * Adds other statistics of the same window (another subtask's readings of it) to these. The
     * coverage is the larger of the two: both count the same shorter windows. A rolled-up window
     * sets its own coverage from its parts ({@link #setCoverage}).
     */
    public void merge(ZoneStats other) {
        coverage = Math.max(coverage, other.coverage);
        count += other.count;
        sum += other.sum;
        energySum += other.energySum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sensors.addAll(other.sensors);
        sketch.mergeWith(other.sketch);
    }

    /** A deep copy: changing either afterwards leaves the other as it was. */
    public ZoneStats copy() {
        return new ZoneStats(
                count, sum, energySum, min, max, sensors.clone(), sketch.copy(), coverage);
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    /** The sum of 10^(value/10), kept for sound levels only. */
    public double energySum() {
        return energySum;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** How many distinct sensors contributed. */
    public int sensorCount() {
        return sensors.size();
    }

    /** The hashes of the sensors that contributed ({@link SensorIds}; read-only view). */
    LongSet sensors() {
        return LongSets.unmodifiable(sensors);
    }

    DDSketch sketch() {
        return sketch;
    }

    /**
     * The number of shorter windows with data in this window ({@link ZoneAggregate#coverage()}): 1
     * for readings of one shortest window; set by the rollup for longer ones.
     */
    public long coverage() {
        return coverage;
    }

    /** Sets the coverage of a rolled-up window, counted from its parts. */
    void setCoverage(long coverage) {
        this.coverage = coverage;
    }

    /**
     * The value at a quantile, within 1% of the exact lower quantile: the value at index
     * floor(q·(count−1)) of the sorted values.
     *
     * @throws java.util.NoSuchElementException if no reading was counted
     */
    public double quantile(double q) {
        return sketch.getValueAtQuantile(q);
    }

    /**
     * The headline mean: energetic (Leq = 10·log10(mean(10^(L/10)))) for sound levels, arithmetic
     * for everything else (the sum and the max of summed and peak metrics are reported beside it).
     */
    public double mean(Aggregation aggregation) {
        return aggregation == Aggregation.ENERGETIC_MEAN
                ? 10 * Math.log10(energySum / count)
                : sum / count;
    }

    /** These statistics as the aggregate of a zone and window. */
    public ZoneAggregate toAggregate(
            ZoneKey zone, long windowStartMillis, long windowLengthMillis, int revision) {
        return new ZoneAggregate(
                zone.metric(),
                zone.zoneKind(),
                zone.zoneId(),
                windowStartMillis,
                windowLengthMillis,
                count,
                sensors.size(),
                mean(zone.metric().aggregation()),
                min,
                max,
                sum,
                quantile(0.5),
                quantile(0.95),
                revision,
                coverage);
    }

    @Override
    public String toString() {
        return "ZoneStats[count="
                + count
                + ", sensors="
                + sensors.size()
                + ", sum="
                + sum
                + ", min="
                + min
                + ", max="
                + max
                + ", coverage="
                + coverage
                + "]";
    }
}
