package org.smartcity.jobs.alerts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;

/**
 * Flink's serializer for {@link SensorWatch}, the state {@link SensorRulesFunction} keeps per
 * sensor: 50,000 sensors' worth in every full checkpoint of issue 11's city workload.
 *
 * <p>Why not Flink's record serializer: it wrote about 188 bytes per sensor, 70 of them the rules'
 * ids, which are the same for every sensor, and read and wrote each field by reflection (12% of the
 * asynchronous checkpoint threads' time in {@code AlertLatencyBenchmark --workload city}). This one
 * keeps the rules' ids once, in its snapshot (written once per checkpoint, not per sensor), and
 * writes each sensor's state field by field: about 40-60 bytes for a sensor without alerts.
 *
 * <p>Layout of a value: one byte, 1 when {@code heard}; then, when heard, {@code lastMillis} and
 * {@code lastArrival}; then for each silent rule of this serializer, in its order, a presence byte
 * and the {@link SilentState} (the metric as an index into the snapshot's metric names, two longs,
 * the open alert or none); then for each sensor rule a presence byte and the {@link
 * SensorAlertState} (the number of readings, each reading's time and value, the open alert or
 * none). An alert is written field by field, its strings as UTF-8 with a length, its enums by name,
 * so that a renumbered enum cannot change a restored alert.
 *
 * <p>A value written for other rules than this serializer's (after a restart with an edited rules
 * file, before the sensor was seen again) is first moved to these rules by id ({@link
 * SensorWatch#alignedTo}), as the function itself does. Values read carry this serializer's id
 * arrays, so that {@link SensorWatch#alignedTo} finds the function's own arrays by identity: the
 * function passes its arrays here.
 *
 * <p>Values are immutable in practice ({@link SensorRulesFunction} and {@link SensorEpisodes}
 * replace arrays instead of changing them), so {@link #copy} returns its argument.
 *
 * <p>Compatibility: state written by Flink's record (POJO) serializer, i.e. by the job before this
 * serializer, restores: Flink reads it with the restored POJO serializer and writes it with this
 * one from then on ({@link Snapshot#resolveSchemaCompatibility}). State written for other rule ids
 * restores the same way, with the old ids, and moves to the new ones as above.
 */
public final class SensorWatchSerializer extends TypeSerializer<SensorWatch> {
    private static final long serialVersionUID = 1L;

    private static final Metric[] METRICS = Metric.values();

    private final String[] silentIds;
    private final String[] sensorIds;

    /**
     * Where each metric index of the written state is in {@link Metric#values()} now: the identity
     * for this code, a mapping by name for a serializer restored from older state.
     */
    private final Metric[] metrics;

    private SensorWatchSerializer(String[] silentIds, String[] sensorIds, Metric[] metrics) {
        this.silentIds = Objects.requireNonNull(silentIds, "silentIds");
        this.sensorIds = Objects.requireNonNull(sensorIds, "sensorIds");
        this.metrics = metrics;
    }

    /**
     * The serializer of state for rules with these ids, in this order. Pass the arrays the function
     * aligns its state to: restored values then share them.
     */
    public static SensorWatchSerializer forRules(String[] silentIds, String[] sensorIds) {
        return new SensorWatchSerializer(silentIds, sensorIds, METRICS);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<SensorWatch> duplicate() {
        return this; // stateless
    }

    @Override
    public SensorWatch createInstance() {
        return SensorWatch.empty(silentIds, sensorIds);
    }

    @Override
    public SensorWatch copy(SensorWatch from) {
        return from; // never changed in place (class comment)
    }

    @Override
    public SensorWatch copy(SensorWatch from, SensorWatch reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SensorWatch record, DataOutputView target) throws IOException {
        SensorWatch w = record.alignedTo(silentIds, sensorIds);
        target.writeBoolean(w.heard());
        if (w.heard()) {
            target.writeLong(w.lastMillis());
            target.writeLong(w.lastArrival());
        }
        for (SilentState s : w.silent()) {
            target.writeBoolean(s != null);
            if (s != null) {
                target.writeByte(s.metric().ordinal());
                target.writeLong(s.lastMillis());
                target.writeLong(s.lastArrival());
                writeAlert(s.active(), target);
            }
        }
        for (SensorAlertState s : w.sensor()) {
            target.writeBoolean(s != null);
            if (s != null) {
                int n = s.times().length;
                target.writeInt(n);
                for (int i = 0; i < n; i++) {
                    target.writeLong(s.times()[i]);
                    target.writeDouble(s.values()[i]);
                }
                writeAlert(s.active(), target);
            }
        }
    }

    @Override
    public SensorWatch deserialize(DataInputView source) throws IOException {
        boolean heard = source.readBoolean();
        long lastMillis = heard ? source.readLong() : 0;
        long lastArrival = heard ? source.readLong() : 0;
        SilentState[] silent = new SilentState[silentIds.length];
        for (int i = 0; i < silent.length; i++) {
            if (source.readBoolean()) {
                silent[i] =
                        new SilentState(
                                metrics[source.readUnsignedByte()],
                                source.readLong(),
                                source.readLong(),
                                readAlert(source));
            }
        }
        SensorAlertState[] sensor = new SensorAlertState[sensorIds.length];
        for (int i = 0; i < sensor.length; i++) {
            if (source.readBoolean()) {
                int n = source.readInt();
                long[] times = new long[n];
                double[] values = new double[n];
                for (int k = 0; k < n; k++) {
                    times[k] = source.readLong();
                    values[k] = source.readDouble();
                }
                sensor[i] = new SensorAlertState(times, values, readAlert(source));
            }
        }
        return new SensorWatch(
                heard, lastMillis, lastArrival, silentIds, silent, sensorIds, sensor);
    }

    @Override
    public SensorWatch deserialize(SensorWatch reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /** An alert or none: a presence byte, then its fields. */
    static void writeAlert(Alert a, DataOutputView out) throws IOException {
        out.writeBoolean(a != null);
        if (a == null) {
            return;
        }
        writeString(a.id(), out);
        writeString(a.rule(), out);
        writeString(a.status().name(), out);
        writeString(a.severity().name(), out);
        writeString(a.metric().name(), out);
        writeString(a.subjectKind().name(), out);
        writeString(a.subjectId(), out);
        writeString(a.subjectName(), out);
        out.writeLong(a.openedAtMillis());
        out.writeLong(a.updatedAtMillis());
        out.writeBoolean(a.clearedAtMillis() != null);
        if (a.clearedAtMillis() != null) {
            out.writeLong(a.clearedAtMillis());
        }
        out.writeDouble(a.value());
        out.writeDouble(a.peak());
        out.writeDouble(a.threshold());
        writeString(a.unit(), out);
        writeString(a.message(), out);
        out.writeInt(a.revision());
        out.writeInt(a.cells().size());
        for (String cell : a.cells()) {
            writeString(cell, out);
        }
    }

    static Alert readAlert(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String id = readString(in);
        String rule = readString(in);
        AlertStatus status = AlertStatus.valueOf(readString(in));
        Severity severity = Severity.valueOf(readString(in));
        Metric metric = Metric.valueOf(readString(in));
        SubjectKind subjectKind = SubjectKind.valueOf(readString(in));
        String subjectId = readString(in);
        String subjectName = readString(in);
        long openedAt = in.readLong();
        long updatedAt = in.readLong();
        Long clearedAt = in.readBoolean() ? in.readLong() : null;
        double value = in.readDouble();
        double peak = in.readDouble();
        double threshold = in.readDouble();
        String unit = readString(in);
        String message = readString(in);
        int revision = in.readInt();
        int cellCount = in.readInt();
        List<String> cells = new ArrayList<>(cellCount);
        for (int i = 0; i < cellCount; i++) {
            cells.add(readString(in));
        }
        return new Alert(
                id,
                rule,
                status,
                severity,
                metric,
                subjectKind,
                subjectId,
                subjectName,
                openedAt,
                updatedAt,
                clearedAt,
                value,
                peak,
                threshold,
                unit,
                message,
                revision,
                cells);
    }

    /**
     * UTF-8 with its length, in one write: Flink's {@code StringValue} writes a character at a
     * time, and the checkpoint streams make each write a chain of calls.
     */
    private static void writeString(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorWatchSerializer other
                && Arrays.equals(other.silentIds, silentIds)
                && Arrays.equals(other.sensorIds, sensorIds)
                && Arrays.equals(other.metrics, metrics);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(silentIds) + Arrays.hashCode(sensorIds);
    }

    @Override
    public TypeSerializerSnapshot<SensorWatch> snapshotConfiguration() {
        return new Snapshot(silentIds, sensorIds, metrics);
    }

    /**
     * The serializer's snapshot, once per state in every checkpoint: the rules' ids and the names
     * of the metrics in the order their indexes refer to.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<SensorWatch> {
        private static final int VERSION = 1;

        private String[] silentIds;
        private String[] sensorIds;
        private Metric[] metrics;

        /** For Flink, which reads the content with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(String[] silentIds, String[] sensorIds, Metric[] metrics) {
            this.silentIds = silentIds;
            this.sensorIds = sensorIds;
            this.metrics = metrics;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            writeIds(silentIds, out);
            writeIds(sensorIds, out);
            out.writeInt(metrics.length);
            for (Metric m : metrics) {
                out.writeUTF(m.name());
            }
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion != VERSION) {
                throw new IOException(
                        "Unknown SensorWatch serializer snapshot version " + readVersion);
            }
            silentIds = readIds(in);
            sensorIds = readIds(in);
            metrics = new Metric[in.readInt()];
            for (int i = 0; i < metrics.length; i++) {
                // A metric removed since is an error here rather than a wrong metric later.
                metrics[i] = Metric.valueOf(in.readUTF());
            }
        }

        @Override
        public TypeSerializer<SensorWatch> restoreSerializer() {
            return new SensorWatchSerializer(silentIds, sensorIds, metrics);
        }

        /**
         * As is when written for the same rules and metrics; otherwise, and for state of Flink's
         * POJO serializer (the job before this serializer), after migration: the old serializer
         * reads, this one writes (the heap backend keeps objects, so it only switches serializers).
         */
        @Override
        public TypeSerializerSchemaCompatibility<SensorWatch> resolveSchemaCompatibility(
                TypeSerializerSnapshot<SensorWatch> oldSnapshot) {
            if (oldSnapshot instanceof Snapshot old) {
                return Arrays.equals(old.silentIds, silentIds)
                                && Arrays.equals(old.sensorIds, sensorIds)
                                && Arrays.equals(old.metrics, metrics)
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (oldSnapshot instanceof PojoSerializerSnapshot) {
                // Registered under this state's name with this type: SensorWatch's fields.
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }

        private static void writeIds(String[] ids, DataOutputView out) throws IOException {
            out.writeInt(ids.length);
            for (String id : ids) {
                out.writeUTF(id);
            }
        }

        private static String[] readIds(DataInputView in) throws IOException {
            String[] ids = new String[in.readInt()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.readUTF();
            }
            return ids;
        }
    }
}
