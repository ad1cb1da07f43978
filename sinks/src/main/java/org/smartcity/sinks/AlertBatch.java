package org.smartcity.sinks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.LocatedAlert;

/**
 * The alerts one {@link AlertSink} writer received between two checkpoints: the committable that
 * the checkpoint stores and the committer writes once the checkpoint is complete.
 *
 * @param alerts in the order the writer received them, each with its sensor's position if known
 */
record AlertBatch(List<LocatedAlert> alerts) {

    AlertBatch {
        alerts = List.copyOf(alerts);
    }

    /**
     * Stores a batch in a checkpoint: each alert as its JSON (DESIGN.md), length-prefixed, then
     * (from version 2) a presence byte and the sensor's latitude and longitude. Version 1, written
     * before alerts carried positions, is still read: its alerts have none.
     */
    static final class Serializer implements SimpleVersionedSerializer<AlertBatch> {

        /** JSON only. */
        static final int JSON = 1;

        /** JSON and the position. */
        static final int WITH_POSITIONS = 2;

        @Override
        public int getVersion() {
            return WITH_POSITIONS;
        }

        @Override
        public byte[] serialize(AlertBatch batch) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(batch.alerts().size());
                for (LocatedAlert a : batch.alerts()) {
                    byte[] json = AlertJson.encode(a.alert());
                    out.writeInt(json.length);
                    out.write(json);
                    out.writeBoolean(a.hasPosition());
                    if (a.hasPosition()) {
                        out.writeDouble(a.lat());
                        out.writeDouble(a.lon());
                    }
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public AlertBatch deserialize(int version, byte[] serialized) throws IOException {
            if (version != JSON && version != WITH_POSITIONS) {
                throw new IOException("Unknown alert batch version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<LocatedAlert> alerts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    LocatedAlert a = LocatedAlert.of(AlertJson.decode(json));
                    if (version == WITH_POSITIONS && in.readBoolean()) {
                        a = LocatedAlert.at(a.alert(), in.readDouble(), in.readDouble());
                    }
                    alerts.add(a);
                }
                return new AlertBatch(alerts);
            }
        }
    }
}
