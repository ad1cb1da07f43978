package org.smartcity.sinks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;

/**
 * The alerts one {@link AlertSink} writer received between two checkpoints: the committable that
 * the checkpoint stores and the committer writes once the checkpoint is complete.
 *
 * @param alerts in the order the writer received them
 */
record AlertBatch(List<Alert> alerts) {

    AlertBatch {
        alerts = List.copyOf(alerts);
    }

    /** Stores a batch in a checkpoint: each alert as its JSON (DESIGN.md), length-prefixed. */
    static final class Serializer implements SimpleVersionedSerializer<AlertBatch> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(AlertBatch batch) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(batch.alerts().size());
                for (Alert a : batch.alerts()) {
                    byte[] json = AlertJson.encode(a);
                    out.writeInt(json.length);
                    out.write(json);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public AlertBatch deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown alert batch version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<Alert> alerts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    alerts.add(AlertJson.decode(json));
                }
                return new AlertBatch(alerts);
            }
        }
    }
}
