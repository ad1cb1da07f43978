package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertJson;
import org.smartcity.core.alert.LocatedAlert;
import org.smartcity.core.alert.TestAlerts;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestZones;

/** The alert sink's writer and committable, without a store. */
class AlertSinkTest {

    private static final LocatedAlert R1 = LocatedAlert.of(alert("a", 1, null));
    private static final LocatedAlert R2 = LocatedAlert.of(alert("a", 2, null));
    private static final LocatedAlert R3 = LocatedAlert.of(alert("a", 3, 5_000L));
    private static final LocatedAlert OTHER = LocatedAlert.of(alert("b", 1, null));
    private static final LocatedAlert SENSOR =
            LocatedAlert.at(sensorAlert(), 25.040612345678, 102.712398765432);

    @Test
    void historyWriterHandsOverEveryRevisionOnceLiveWriterOnlyTheNewest() {
        AlertSink.Writer history = new AlertSink.Writer(Layer.HISTORY);
        AlertSink.Writer live = new AlertSink.Writer(Layer.LIVE);
        for (LocatedAlert a : List.of(R1, OTHER, R3, R2)) {
            history.write(a, null);
            live.write(a, null);
        }
        assertThat(history.prepareCommit())
                .containsExactly(new AlertBatch(List.of(R1, OTHER, R3, R2)));
        assertThat(live.prepareCommit()).containsExactly(new AlertBatch(List.of(R3, OTHER)));
        // Handed over once: the next checkpoint has nothing.
        assertThat(history.prepareCommit()).isEmpty();
        assertThat(live.prepareCommit()).isEmpty();
    }

    @Test
    void batchesSurviveTheCheckpointSerializerWithTheSensorsPositions() throws Exception {
        AlertBatch.Serializer s = new AlertBatch.Serializer();
        AlertBatch batch = new AlertBatch(List.of(R1, SENSOR, R3, OTHER));
        AlertBatch back = s.deserialize(s.getVersion(), s.serialize(batch));
        assertThat(back).isEqualTo(batch);
        assertThat(back.alerts().get(1).lat()).isEqualTo(25.040612345678);
        assertThat(back.alerts().get(1).lon()).isEqualTo(102.712398765432);
    }

    @Test
    void batchesOfTheVersionBeforePositionsStillRestore() throws Exception {
        // Version 1, as the sink wrote it before alerts carried positions: each alert's JSON,
        // length-prefixed, nothing else.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(2);
            for (Alert a : List.of(R1.alert(), SENSOR.alert())) {
                byte[] json = AlertJson.encode(a);
                out.writeInt(json.length);
                out.write(json);
            }
        }
        assertThat(new AlertBatch.Serializer().deserialize(1, bytes.toByteArray()))
                .isEqualTo(new AlertBatch(List.of(R1, LocatedAlert.of(SENSOR.alert()))));
        assertThatThrownBy(() -> new AlertBatch.Serializer().deserialize(3, new byte[4]))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void theLiveLayerNeedsAStoreThatOverwrites() {
        assertThatThrownBy(
                        () ->
                                AlertSink.live(
                                        StoreConfig.FileSystem.parquet("/tmp/x"),
                                        TestZones::geometry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overwrites by feature id");
    }

    private static Alert alert(String subject, int revision, Long cleared) {
        return TestAlerts.pm25(subject)
                .opened(1_000)
                .updated(1_000 + revision)
                .cleared(cleared)
                .value(80 + revision)
                .peak(90)
                .revision(revision)
                .build();
    }

    private static Alert sensorAlert() {
        return TestAlerts.silentSensor("km-7").opened(2_000).build();
    }
}
