package org.smartcity.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.smartcity.core.indicators.Sdg1162;
import org.smartcity.core.zoning.Zoning;

/**
 * The simulation without the network: the sequence of MQTT messages the sensors publish, in
 * publishing order, each with the time it is due and what the bridge should decide for it.
 *
 * <p>The sequence is a pure function of the configuration and of the clock's instant at
 * construction: the same seed and clock give the same messages, byte for byte. Sensors take turns
 * in a fixed shuffled order; the {@code n}-th reading is due {@code n / rate} seconds after the
 * start, so a publisher that waits for each message's {@link SimulatedMessage#sendTime} publishes
 * at the configured rate, and the published timestamps follow the clock.
 *
 * <p>It ends after {@code total} readings, at the end of {@code duration}, or when every sensor has
 * fallen silent, whichever comes first; without such a limit it never ends. Messages still held
 * back for {@link Fault#OUT_OF_ORDER} are released at the end. Not thread-safe.
 *
 * <p><b>Backfill</b> ({@code --backfill}): before the live messages, the sensors of the metrics an
 * indicator needs ({@link Sdg1162#METRICS}: PM2.5 and PM10; silent sensors excepted) publish one
 * reading each per {@code backfillInterval}, from the start minus the backfill (rounded down to the
 * interval) onwards, staggered evenly within each interval, so the messages are in event-time order
 * across all sensors: the job's watermarks advance with them and nothing in the history is late.
 * Backfilled readings carry no fault and are due at once ({@link #isBackfill}: a publisher sends
 * them as fast as the broker takes them). The history goes on while whole intervals lie before the
 * clock, so it catches up with a publisher that takes hours for a year; then the live part starts
 * at the clock's instant at that moment ({@link #start()}), and {@code total} and {@code duration}
 * count from there. The clock is read once per interval of history.
 *
 * <pre>{@code
 * var generator = new MessageGenerator(SimulatorConfig.parse("--total", "1000"), clock);
 * generator.forEachRemaining(m -> bridge.handle(m.topic(), m.payload()));
 * }</pre>
 */
public final class MessageGenerator implements Iterator<SimulatedMessage> {
    private final SimulatorConfig config;
    private final List<Sensor> sensors;
    private final List<SensorState> rotation;
    private final List<SensorState> states;
    private final List<String> silentSensors;
    private final ValueModel model;
    private final FaultInjector faults;
    private final Random noise;
    private final Random faultRandom;
    private final Clock clock;
    private final long sampleMillis;
    private final List<SensorState> backfilled;
    private final long backfillIntervalMillis;
    private long startMillis;
    private long endMillis;
    private boolean backfilling;
    private long backfillTick;
    private int backfillIndex;
    private long backfillReadings;
    private long backfillFromMillis;
    private final long scenarioMinuteMillis;
    private final String outageDistrict;
    private final Deque<SimulatedMessage> ready = new ArrayDeque<>();

    private int turn;
    private long slots;
    private long lastSendMillis;
    private boolean finished;

    /** What changes for a sensor as it publishes. */
    private static final class SensorState {
        final Sensor sensor;
        final boolean silent;
        boolean inOutageDistrict;
        long nextSeq;
        SimulatedMessage held;

        SensorState(Sensor sensor, boolean silent) {
            this.sensor = sensor;
            this.silent = silent;
        }
    }

    /**
     * A generator that starts at the clock's current instant (to the millisecond).
     *
     * @param config the fleet, rate, limits and faults
     * @param clock read once, here
     */
    public MessageGenerator(SimulatorConfig config, Clock clock) {
        this.config = config;
        // Independent streams: the fleet does not change when the rate does, nor the values
        // when faults are switched on.
        SplittableRandom seeds = new SplittableRandom(config.seed());
        Random layoutRandom = new Random(seeds.nextLong());
        Random fieldRandom = new Random(seeds.nextLong());
        this.noise = new Random(seeds.nextLong());
        this.faultRandom = new Random(seeds.nextLong());

        double sampleSeconds = config.sensors() / config.rate();
        this.sampleMillis = Math.round(sampleSeconds * 1000);
        this.sensors =
                SensorFleet.place(
                        CityLayout.of(config), config.sensors(), config.outerShare(), layoutRandom);
        this.model = new ValueModel(fieldRandom, config.timeZone(), sampleSeconds);
        this.faults = new FaultInjector(config.faults(), sampleSeconds);

        List<Sensor> silent = new ArrayList<>(sensors);
        Collections.shuffle(silent, faultRandom);
        silent =
                silent.subList(
                        0,
                        (int)
                                Math.round(
                                        sensors.size()
                                                * config.faults().share(Fault.SILENT_SENSOR)));
        this.silentSensors = silent.stream().map(Sensor::id).sorted().toList();

        Set<String> silentIds = new HashSet<>(silentSensors);
        List<SensorState> all = new ArrayList<>(sensors.size());
        for (Sensor s : sensors) {
            all.add(new SensorState(s, silentIds.contains(s.id())));
        }
        this.states = List.copyOf(all);
        this.scenarioMinuteMillis = config.scenarioMinute().toMillis();
        this.outageDistrict =
                config.scenario() == Scenario.OUTAGE ? markOutageDistrict(config, states) : null;
        this.rotation = new ArrayList<>(all);
        Collections.shuffle(rotation, layoutRandom);

        this.clock = clock;
        this.backfillIntervalMillis = config.backfillInterval().toMillis();
        this.backfilled =
                config.backfill() == null
                        ? List.of()
                        : all.stream()
                                .filter(s -> !s.silent)
                                .filter(s -> Sdg1162.METRICS.contains(s.sensor.metric()))
                                .toList();
        goLive(clock.millis());
        if (!backfilled.isEmpty()) {
            backfilling = true;
            backfillTick =
                    Math.floorDiv(
                                    startMillis - config.backfill().toMillis(),
                                    backfillIntervalMillis)
                            * backfillIntervalMillis;
            backfillFromMillis = backfillTick;
        }
    }

    /** Starts (or restarts, after the backfill) the live part at {@code millis}. */
    private void goLive(long millis) {
        this.startMillis = millis;
        this.endMillis =
                config.duration() == null
                        ? Long.MAX_VALUE
                        : startMillis + config.duration().toMillis();
        this.lastSendMillis = startMillis;
    }

    /**
     * Whether a message is part of the backfill (due at once) rather than of the live part (due at
     * its {@link SimulatedMessage#sendTime}).
     */
    public boolean isBackfill(SimulatedMessage m) {
        // While the backfill runs the live start is not known yet; history is before it.
        return backfilling || m.sendTime().toEpochMilli() < startMillis;
    }

    /** Readings of the backfill generated so far. */
    public long backfillReadings() {
        return backfillReadings;
    }

    /** Where the backfill starts (event time), or null without one. */
    public Instant backfillFrom() {
        return backfilled.isEmpty() ? null : Instant.ofEpochMilli(backfillFromMillis);
    }

    /**
     * The live part's start: the clock's instant at construction, to the millisecond, or with a
     * backfill the instant the backfill caught up with the clock.
     */
    public Instant start() {
        return Instant.ofEpochMilli(startMillis);
    }

    /**
     * The district whose sensors the {@code outage} scenario silences first: the one with the most
     * sensors (the smallest id among equals); {@code null} under other scenarios, or when no sensor
     * stands in a district.
     */
    public String outageDistrict() {
        return outageDistrict;
    }

    /** Picks the outage district and marks its sensors. */
    private static String markOutageDistrict(SimulatorConfig config, List<SensorState> states) {
        Zoning zoning = Zoning.create(config.zoning());
        Map<String, List<SensorState>> byDistrict = new TreeMap<>();
        for (SensorState s : states) {
            zoning.district(s.sensor.lat(), s.sensor.lon())
                    .ifPresent(
                            d -> byDistrict.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(s));
        }
        String chosen = null;
        for (Map.Entry<String, List<SensorState>> e : byDistrict.entrySet()) {
            if (chosen == null || e.getValue().size() > byDistrict.get(chosen).size()) {
                chosen = e.getKey();
            }
        }
        if (chosen != null) {
            byDistrict.get(chosen).forEach(s -> s.inOutageDistrict = true);
        }
        return chosen;
    }

    /** The ids of the sensors that fall silent after their first message, sorted. */
    public List<String> silentSensors() {
        return silentSensors;
    }

    /** The fleet, ordered by metric and number. */
    List<Sensor> sensors() {
        return sensors;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !finished) {
            if (backfilling) {
                if (!backfillTurn()) {
                    backfilling = false;
                    goLive(Math.max(clock.millis(), startMillis));
                }
            } else if (!takeTurn()) {
                finished = true;
                releaseHeld();
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public SimulatedMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the simulation has ended");
        }
        return ready.poll();
    }

    /** Lets the next sensor publish; false when the run is over. */
    private boolean takeTurn() {
        long remaining = config.total() > 0 ? config.total() - slots : Long.MAX_VALUE;
        if (remaining <= 0 || rotation.isEmpty()) {
            return false;
        }
        int count = (int) Math.min(config.batchSize(), remaining);
        long sendMillis = startMillis + Math.round((slots + count - 1) * 1000 / config.rate());
        if (sendMillis >= endMillis) {
            return false;
        }
        SensorState state = rotation.get(turn);
        Fault messageFault = faults.drawMessageFault(faultRandom);
        SimulatedMessage message = message(state, count, sendMillis);
        slots += count;
        lastSendMillis = sendMillis;

        if (message == null) {
            // Every reading fell in the scenario's outage: the sensor keeps its turn and sends
            // nothing; a message held back waits for its next one.
        } else if (messageFault == Fault.OUT_OF_ORDER && state.held == null && !state.silent) {
            state.held = message;
        } else {
            ready.add(message);
            if (messageFault == Fault.DUPLICATE) {
                ready.add(message.asDuplicate());
            }
            if (state.held != null) {
                ready.add(state.held.releasedAt(message.sendTime(), true));
                state.held = null;
            }
        }

        if (state.silent) {
            rotation.remove(turn);
        } else {
            turn++;
        }
        if (turn >= rotation.size()) {
            turn = 0;
        }
        return true;
    }

    /**
     * The next reading of the history; false once the next interval is not wholly before the clock.
     */
    private boolean backfillTurn() {
        if (backfillIndex == 0 && backfillTick + backfillIntervalMillis > clock.millis()) {
            return false;
        }
        int n = backfilled.size();
        // Evenly staggered: sensor i reads i/n of the way into each interval.
        long ts = backfillTick + backfillIndex * backfillIntervalMillis / n;
        ready.add(message(backfilled.get(backfillIndex), 1, ts, false));
        backfillReadings++;
        if (++backfillIndex == n) {
            backfillIndex = 0;
            backfillTick += backfillIntervalMillis;
        }
        return true;
    }

    /**
     * A sensor's next message: {@code count} readings, the newest measured at {@code sendMillis};
     * {@code null} when the scenario's outage silences all of them. Silenced readings still draw
     * their values and faults, so the rest of the run is the same as without the outage.
     */
    private SimulatedMessage message(SensorState state, int count, long sendMillis) {
        return message(state, count, sendMillis, true);
    }

    private SimulatedMessage message(
            SensorState state, int count, long sendMillis, boolean withFaults) {
        Sensor sensor = state.sensor;
        List<ReadingDraft> drafts = new ArrayList<>(count);
        List<PlannedReading> planned = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // A gateway's buffer: earlier readings were taken one sampling interval apart.
            long ts = sendMillis - (long) (count - 1 - i) * sampleMillis;
            ReadingDraft draft =
                    ReadingDraft.clean(
                            sensor,
                            ts,
                            config.scenario()
                                    .apply(
                                            sensor.metric(),
                                            startMillis,
                                            Scenario.scriptTime(
                                                    startMillis, ts, scenarioMinuteMillis),
                                            model.value(sensor, ts, noise)),
                            state.nextSeq++);
            Fault fault = withFaults ? faults.drawReadingFault(faultRandom) : null;
            if (fault != null) {
                draft = faults.apply(draft, fault, faultRandom);
            }
            if (config.scenario()
                    .silences(
                            state.inOutageDistrict,
                            startMillis,
                            Scenario.scriptTime(startMillis, ts, scenarioMinuteMillis))) {
                continue;
            }
            drafts.add(draft);
            boolean accepted = fault == null || fault.expectedRejection().isEmpty();
            planned.add(
                    new PlannedReading(
                            draft.seq(),
                            Instant.ofEpochMilli(draft.timestampMillis()),
                            fault,
                            accepted ? PayloadWriter.forwarded(draft, config.city()) : null));
        }
        if (drafts.isEmpty()) {
            return null;
        }
        return new SimulatedMessage(
                sensor.topic(),
                PayloadWriter.write(drafts, config.batchSize() > 1),
                Instant.ofEpochMilli(sendMillis),
                sensor.id(),
                sensor.metric(),
                planned,
                false,
                false);
    }

    /** At the end, messages still held back go out in fleet order, no longer out of order. */
    private void releaseHeld() {
        Instant end = Instant.ofEpochMilli(lastSendMillis);
        for (SensorState s : states) {
            if (s.held != null) {
                ready.add(s.held.releasedAt(end, false));
                s.held = null;
            }
        }
    }
}
