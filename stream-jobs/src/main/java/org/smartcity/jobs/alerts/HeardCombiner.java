package org.smartcity.jobs.alerts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;
import org.smartcity.core.Metric;

/**
 * Holds back, in the subtask that read them, the samples that would only tell the silent-sensor
 * rules "heard at t" again, before they cross the network to {@link SensorRulesFunction}: of a
 * sensor's readings within a short spell, only the newest then crosses (most readings of a city's
 * sensors are just that, and their shuffle and state update were most of the alert stage's cost at
 * 180 readings per sensor). The alerts do not change: every sample that can change what {@link
 * SensorRulesFunction} emits is forwarded, in order, and what is dropped would have changed nothing
 * but the last-heard times (and a level rule's newest reading) that a newer forwarded sample
 * overwrites.
 *
 * <p>Only samples of a metric that some silent rule watches and no rate-of-rise rule watches are
 * held ({@link SensorRulesFunction#holdLimit}), and of a metric that level rules watch (a river
 * gauge's level, a sensor's PM2.5) only quiet ones: at or below every rule's lowest level for the
 * sensor, while no alert of those rules can be open downstream ({@link
 * SensorRulesFunction#quietLevels}: after the sensor's newest forwarded reading was below every
 * clear level, or below every level with none open before). All others pass at once. Per sensor the
 * operator knows the newest event time it forwarded ({@code sent}, which {@link
 * SensorRulesFunction} then holds as the sensor's last reading, since a sensor's readings come
 * through one Kafka partition and so through one subtask: the readings topic's key is the sensor
 * id) and when. A sample newer than everything forwarded and held is held (replacing the one held)
 * and one no newer is dropped, but only while no silence alert of the sensor can be open or open
 * meanwhile: the watermark is below {@code sent} plus the shortest silent limit {@code L} of the
 * metric (event time), and less than {@code L / 2} has passed on the TaskManager's clock since
 * {@code sent} was forwarded (processing time; the keyed operator would have to lag the source by
 * {@code L / 2}, 5 minutes with the shipped rules, to see more). Otherwise the held sample and the
 * new one are forwarded at once: the first reading after a silence, which clears the alert and
 * gives its {@code cleared_at}, always goes on as it came. An out-of-order reading that is older
 * than the newest one is therefore a no-op downstream whether it crosses or not.
 *
 * <p>Held samples are forwarded, as the original objects with their timestamps:
 *
 * <ul>
 *   <li>before a watermark that reaches some held sensor's {@code sent + L} (the event-time timer
 *       that would raise its silence alert fires on that watermark), and before the subtask goes
 *       idle (the keyed operator's watermark then moves on without it; holding stops for the rest
 *       of the run, because its watermark may lag the keyed operator's from then on; an idle spell
 *       before the first sample, while the subtask has no split yet, counts as the start);
 *   <li>every {@link #DEFAULT_INTERVAL_MILLIS} ms on the TaskManager's clock (at most {@code L /
 *       8}): the silent rules' processing-time limit then counts from a moment at most that much
 *       later, like a slower network;
 *   <li>before each checkpoint barrier and at the end of input: nothing held is in flight in a
 *       checkpoint, so a restart loses nothing;
 *   <li>when more than {@link #DEFAULT_MAX_SENSORS} sensors are known: all are forgotten and the
 *       operator starts over with a floor (below).
 * </ul>
 *
 * <p>A sensor the operator does not know yet (after a start or a restart, or forgotten) may have
 * state downstream from before, so its samples pass at once until one is newer than the {@code
 * floor}: the newest event time forwarded by any subtask before the last checkpoint (kept as union
 * operator state, the only state of this operator) or before it was forgotten here; that one is
 * surely the sensor's newest downstream and so clears any open alert itself. Restored from a
 * savepoint without that state (one from before this operator), the floor is unknown, and nothing
 * is held until the keyed operator has forgotten every sensor not heard since the start (24 h,
 * {@link AlertRule#HEARD_WITHIN_MILLIS}, plus an hour).
 *
 * <p>Limits: a sensor with readings of two metrics is never held back (everything of it passes, in
 * order, from its second metric on). A subtask that gets its first split while the others' event
 * time is already more than {@code L} ahead may see a silence alert opened by the others' watermark
 * on its first reading cleared by the newest reading of the next spell instead of the next one (the
 * rules alone would open that alert too).
 */
final class HeardCombiner extends AbstractStreamOperator<SensorSample>
        implements OneInputStreamOperator<SensorSample, SensorSample> {
    private static final long serialVersionUID = 1L;

    /** How long a held sample waits at most, on the TaskManager's clock. */
    static final long DEFAULT_INTERVAL_MILLIS = 5_000;

    /** Sensors known at most before all are forgotten (a city's sensors: tens of thousands). */
    static final int DEFAULT_MAX_SENSORS = 1_000_000;

    /** Silent limits below this are not combined: the margins above would be too thin. */
    static final long MIN_LIMIT_MILLIS = 60_000;

    /** The side output of the sensors' positions, as {@link AlertInputs#POSITIONS}. */
    static final OutputTag<SensorPosition> POSITIONS = AlertInputs.POSITIONS;

    /** No floor known: restored from a savepoint from before this operator. */
    private static final long UNKNOWN = Long.MAX_VALUE;

    /** Per metric ordinal, the shortest silent limit when its samples may be held, else 0. */
    private final long[] limits;

    private final SensorRulesFunction rules;

    /** Whether to tell the sensors' positions on {@link #POSITIONS}. */
    private final boolean tellPositions;

    private final long intervalMillis;
    private final int maxSensors;

    private transient Map<String, Sensor> sensors;

    /** The sensors holding a sample, in the order they started holding. */
    private transient List<Sensor> holding;

    /** The earliest {@code sent + L} of the sensors holding a sample. */
    private transient long deadline;

    private transient long watermark;

    /** Whether a sample of a metric that may be held has come. */
    private transient boolean started;

    /** Whether the subtask went idle after that. */
    private transient boolean idleSeen;

    /** Downstream, a sensor this operator does not know was last heard at or before this. */
    private transient long floor;

    /** With an unknown floor: when every sensor not heard since the start has been forgotten. */
    private transient long floorKnownAt;

    /** The newest event time this subtask forwarded. */
    private transient long forwarded;

    /** When the processing-time flush is due; {@link Long#MIN_VALUE} when none is set. */
    private transient long flushAt;

    private transient ListState<Long> floorState;
    private transient StreamRecord<SensorSample> reuse;
    private transient StreamRecord<SensorPosition> position;

    /**
     * What this subtask knows of one sensor. A held sample is kept in fields rather than as the
     * object: no reference from this long-lived object to a young one per reading.
     */
    private static final class Sensor {
        final String id;

        /** The metric of the sensor's first sample here. */
        final Metric metric;

        /**
         * Whether the fields below are kept: otherwise the sensor is known only for its position
         * (with {@code tellPositions}), and its samples pass as those of an unknown sensor.
         */
        boolean tracked;

        /** The position told for the sensor ({@link #POSITIONS}); NaN before any. */
        double toldLat = Double.NaN;

        double toldLon = Double.NaN;

        /** The sensor's {@link SensorRulesFunction.QuietLevels}. */
        double raiseAbove;

        double clearBelow;

        /** The newest event time forwarded: the sensor's last reading downstream. */
        long sent;

        /** When that sample was forwarded, on the TaskManager's clock. */
        long sentAt;

        /** The lowest the sensor's last reading downstream may be (below {@code sent}: see use). */
        long low;

        /** Whether a level rule's alert may be open downstream: then everything passes. */
        boolean mayBeOpen;

        /** Whether a sample is held: the newest not forwarded yet, the fields below. */
        boolean holds;

        long heldTime;
        double heldValue;
        long heldTimestamp;
        boolean heldHasTimestamp;

        /** A sensor with readings of two metrics: everything passes. */
        boolean mixed;

        /** A sensor known only for its position, until {@link #track}. */
        Sensor(SensorSample first) {
            this.id = first.sensorId();
            this.metric = first.metric();
        }

        /**
         * Starts keeping the sensor's fields from {@code sample}, just forwarded: whatever the
         * sensor had downstream before, that sample is now its newest there.
         */
        void track(SensorSample sample, SensorRulesFunction.QuietLevels levels, long sentAt) {
            this.tracked = true;
            this.raiseAbove = levels.raiseAbove();
            this.clearBelow = levels.clearBelow();
            this.sent = sample.timestampMillis();
            this.sentAt = sentAt;
            this.low = sent;
            this.mayBeOpen = mayBeOpenAfter(sample.value(), true);
        }

        /**
         * Whether a level rule's alert may be open downstream after a reading of {@code value}
         * became the sensor's newest there: raised or still open (hysteresis).
         */
        boolean mayBeOpenAfter(double value, boolean openBefore) {
            return value > raiseAbove || openBefore && value >= clearBelow;
        }
    }

    /**
     * @param rules the rules the samples go to: which metrics' samples may be held, and for how
     *     long at most
     */
    HeardCombiner(SensorRulesFunction rules, boolean tellPositions) {
        this(rules, tellPositions, DEFAULT_INTERVAL_MILLIS, DEFAULT_MAX_SENSORS);
    }

    /**
     * @param tellPositions whether to tell, on {@link #POSITIONS}, where each sensor stands when it
     *     is first seen here and when it has moved (its samples' positions)
     */
    HeardCombiner(
            SensorRulesFunction rules, boolean tellPositions, long intervalMillis, int maxSensors) {
        if (intervalMillis <= 0 || maxSensors <= 0) {
            throw new IllegalArgumentException("interval and sensors must be positive");
        }
        this.rules = rules;
        this.tellPositions = tellPositions;
        this.limits = new long[Metric.values().length];
        long shortest = Long.MAX_VALUE;
        for (Metric m : Metric.values()) {
            long limit = rules.holdLimit(m);
            if (limit >= MIN_LIMIT_MILLIS) {
                limits[m.ordinal()] = limit;
                shortest = Math.min(shortest, limit);
            }
        }
        this.intervalMillis = Math.min(intervalMillis, Math.max(1, shortest / 8));
        this.maxSensors = maxSensors;
    }

    /** Whether any samples may be held at all with these rules. */
    static boolean holdsAny(SensorRulesFunction rules) {
        for (Metric m : Metric.values()) {
            if (rules.holdLimit(m) >= MIN_LIMIT_MILLIS) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        floorState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("heard-combiner-forwarded", Types.LONG));
        floor = Long.MIN_VALUE;
        if (context.isRestored()) {
            floor = UNKNOWN;
            for (Long f : floorState.get()) {
                floor = floor == UNKNOWN ? f : Math.max(floor, f);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        sensors = new HashMap<>();
        holding = new ArrayList<>();
        deadline = Long.MAX_VALUE;
        watermark = Long.MIN_VALUE;
        started = false;
        idleSeen = false;
        forwarded = floor == UNKNOWN ? Long.MIN_VALUE : floor;
        floorKnownAt =
                getProcessingTimeService().getCurrentProcessingTime()
                        + AlertRule.HEARD_WITHIN_MILLIS
                        + 3_600_000L;
        flushAt = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        position = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<SensorSample> element) throws Exception {
        SensorSample r = element.getValue();
        long limit = limits[r.metric().ordinal()];
        if (limit == 0) {
            Sensor known = sensors.isEmpty() && !tellPositions ? null : sensors.get(r.sensorId());
            if (known != null && known.metric != r.metric()) {
                // A sensor with readings of a second metric: it keeps its order, and nothing
                // of it is held from now on.
                release(known, getProcessingTimeService().getCurrentProcessingTime());
                known.mixed = true;
            }
            forward(element);
            if (tellPositions) {
                tellPosition(known == null ? newSensor(r) : known, element);
            }
            return;
        }
        long t = r.timestampMillis();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        Sensor s = sensors.get(r.sensorId());
        if (s != null && s.metric != r.metric()) {
            s.mixed = true;
        }
        if (s == null || !s.tracked) {
            started = true;
            forward(element);
            if (floor == UNKNOWN && now >= floorKnownAt) {
                floor = forwarded;
            }
            if (t > floor && floor != UNKNOWN && !idleSeen) {
                // Newer than anything the keyed operator has of this sensor: its state is now
                // this sample, with no alert open.
                if (s == null) {
                    s = newSensor(r);
                }
                s.track(r, rules.quietLevels(r.sensorId(), r.metric()), now);
            } else if (s == null && tellPositions) {
                s = newSensor(r);
            }
            if (tellPositions) {
                tellPosition(s, element);
            }
            return;
        }
        if (tellPositions) {
            tellPosition(s, element);
        }
        started = true;
        if (!s.mixed
                && !idleSeen
                && !s.mayBeOpen
                && r.value() <= s.raiseAbove
                && watermark < s.low + limit
                && now - s.sentAt < limit / 2) {
            // No alert of the sensor is open or can open before what is held is forwarded: a
            // newer sample only moves the last-heard times (and a level rule's newest reading,
            // quiet), an older one nothing.
            long newest = s.holds ? s.heldTime : s.sent;
            if (t > newest) {
                if (!s.holds) {
                    s.holds = true;
                    holding.add(s);
                    deadline = Math.min(deadline, s.low + limit);
                    if (flushAt == Long.MIN_VALUE) {
                        flushAt = now + intervalMillis;
                        getProcessingTimeService().registerTimer(flushAt, this::onFlushTime);
                    }
                }
                s.heldTime = t;
                s.heldValue = r.value();
                s.heldTimestamp = element.getTimestamp();
                s.heldHasTimestamp = element.hasTimestamp();
            }
            return;
        }
        // A silence alert may be open (or the sensor forgotten) downstream: everything goes on
        // at once, in order.
        release(s, now);
        forward(element);
        if (t > s.sent) {
            s.sent = t;
            s.sentAt = now;
            s.low = t;
            s.mayBeOpen = s.mayBeOpenAfter(r.value(), s.mayBeOpen);
        } else {
            // After a forgetting, this older sample becomes the sensor's last reading.
            s.low = Math.min(s.low, t);
            s.mayBeOpen = s.mayBeOpen || s.mayBeOpenAfter(r.value(), true);
        }
    }

    /** A sensor seen here for the first time, known from now on (not tracked yet). */
    private Sensor newSensor(SensorSample first) {
        if (sensors.size() >= maxSensors) {
            forgetAll();
        }
        Sensor s = new Sensor(first);
        sensors.put(first.sensorId(), s);
        return s;
    }

    /**
     * Tells where sensor {@code s} stands if this sample says so and that is not what was told
     * last: once per sensor (and after a forgetting), and again when it has moved. A position is
     * looked up with the sensor, so it costs no lookup of its own per reading.
     */
    private void tellPosition(Sensor s, StreamRecord<SensorSample> element) {
        SensorSample r = element.getValue();
        if (!r.hasPosition() || r.lat() == s.toldLat && r.lon() == s.toldLon) {
            return;
        }
        s.toldLat = r.lat();
        s.toldLon = r.lon();
        SensorPosition p = new SensorPosition(r.sensorId(), r.lat(), r.lon());
        if (element.hasTimestamp()) {
            position.replace(p, element.getTimestamp());
        } else {
            position.replace(p);
            position.eraseTimestamp();
        }
        output.collect(POSITIONS, position);
    }

    /** Forwards sensor {@code s}'s held sample, if any: its newest, at {@code now}. */
    private void release(Sensor s, long now) {
        if (!s.holds) {
            return;
        }
        s.holds = false;
        SensorSample h = new SensorSample(s.id, s.metric, s.heldTime, s.heldValue);
        if (s.heldHasTimestamp) {
            reuse.replace(h, s.heldTimestamp);
        } else {
            reuse.replace(h);
            reuse.eraseTimestamp();
        }
        forward(reuse);
        s.sent = s.heldTime;
        s.sentAt = now;
        s.low = s.sent;
        s.mayBeOpen = s.mayBeOpenAfter(s.heldValue, s.mayBeOpen);
    }

    private void forward(StreamRecord<SensorSample> element) {
        forwarded = Math.max(forwarded, element.getValue().timestampMillis());
        output.collect(element);
    }

    /** Forwards every held sample, in the order the sensors started holding. */
    private void releaseAll() {
        if (holding.isEmpty()) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (Sensor s : holding) {
            release(s, now);
        }
        holding.clear();
        deadline = Long.MAX_VALUE;
    }

    private void forgetAll() {
        releaseAll();
        sensors.clear();
        floor = forwarded;
    }

    private void onFlushTime(long time) {
        flushAt = Long.MIN_VALUE;
        releaseAll();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (watermark >= deadline) {
            releaseAll();
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle() && started) {
            // Idle before the first sample is the start (no split assigned yet): nothing was sent
            // or held, and the subtask's own watermark is the one checked from then on.
            releaseAll();
            idleSeen = true;
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        releaseAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Nothing is held now (prepareSnapshotPreBarrier): the keyed operator's state in this
        // checkpoint has nothing newer than this.
        floorState.update(floor == UNKNOWN ? List.of() : List.of(Math.max(floor, forwarded)));
    }

    @Override
    public void finish() throws Exception {
        releaseAll();
        super.finish();
    }
}
