package org.smartcity.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.alert.Alert;
import org.smartcity.core.alert.AlertStatus;
import org.smartcity.core.alert.Severity;
import org.smartcity.core.alert.SubjectKind;
import org.smartcity.store.Layer;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.TestZones;

/** The alert sink's writer and committable, without a store. */
class AlertSinkTest {

    private static final Alert R1 = alert("a", 1, null);
    private static final Alert R2 = alert("a", 2, null);
    private static final Alert R3 = alert("a", 3, 5_000L);
    private static final Alert OTHER = alert("b", 1, null);

    @Test
    void historyWriterHandsOverEveryRevisionOnceLiveWriterOnlyTheNewest() {
        AlertSink.Writer history = new AlertSink.Writer(Layer.HISTORY);
        AlertSink.Writer live = new AlertSink.Writer(Layer.LIVE);
        for (Alert a : List.of(R1, OTHER, R3, R2)) {
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
    void batchesSurviveTheCheckpointSerializer() throws Exception {
        AlertBatch.Serializer s = new AlertBatch.Serializer();
        AlertBatch batch = new AlertBatch(List.of(R1, R3, OTHER));
        assertThat(s.deserialize(s.getVersion(), s.serialize(batch))).isEqualTo(batch);
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
        return new Alert(
                Alert.idOf("r", SubjectKind.DISTRICT, subject, 1_000),
                "r",
                cleared == null ? AlertStatus.ACTIVE : AlertStatus.CLEARED,
                Severity.MODERATE,
                Metric.PM25,
                SubjectKind.DISTRICT,
                subject,
                subject,
                1_000,
                1_000 + revision,
                cleared,
                80 + revision,
                90,
                75,
                "ug/m3",
                "m",
                revision,
                List.of());
    }
}
