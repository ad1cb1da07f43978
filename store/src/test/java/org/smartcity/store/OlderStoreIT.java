package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.geotools.api.data.DataStore;
import org.geotools.api.data.FeatureWriter;
import org.geotools.api.data.Query;
import org.geotools.api.data.Transaction;
import org.geotools.api.feature.simple.SimpleFeature;
import org.geotools.api.feature.simple.SimpleFeatureType;
import org.geotools.data.simple.SimpleFeatureIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartcity.core.ZoneAggregate;
import org.smartcity.core.zoning.ZoneKind;

/**
 * A FileSystem history store created before aggregates had a coverage keeps working: it opens,
 * takes new aggregates (without their coverage) and reads back as coverage 0, unknown.
 */
class OlderStoreIT {

    @Test
    void aStoreWithoutTheCoverageAttributeOpensWritesAndReads(@TempDir Path dir) throws Exception {
        StoreConfig config = StoreConfig.FileSystem.parquet(dir.resolve("history").toString());
        SimpleFeatureType old = AggregateSchemaTest.olderType(AggregateSchema.HISTORY_TYPE);
        old.getUserData().putAll(config.featureTypeUserData());
        DataStore created = DataStores.open(config, StoreConfig.Access.WRITE);
        try {
            created.createSchema(old);
        } finally {
            created.dispose();
        }

        ZoneAggregate a = TestAggregates.pm25District("2026-11-24T05:15:00Z", 1);
        ZoneAggregate covered = a.withCoverage(15);
        DataStore store =
                DataStores.openWithSchema(
                        config, StoreConfig.Access.WRITE, AggregateSchema.HISTORY_TYPE);
        List<StoredAggregate> read = new ArrayList<>();
        try {
            assertThat(store.getSchema(AggregateSchema.HISTORY_TYPE).indexOf("coverage"))
                    .as("the type is left as it was")
                    .isNegative();
            try (FeatureWriter<SimpleFeatureType, SimpleFeature> writer =
                    store.getFeatureWriterAppend(
                            AggregateSchema.HISTORY_TYPE, Transaction.AUTO_COMMIT)) {
                SimpleFeature f = writer.next();
                AggregateSchema.setAttributes(
                        f,
                        covered,
                        TestZones.geometry(ZoneKind.DISTRICT, TestZones.WUHUA),
                        Instant.parse("2026-11-24T05:31:00Z"));
                writer.write();
            }
            try (SimpleFeatureIterator it =
                    store.getFeatureSource(AggregateSchema.HISTORY_TYPE)
                            .getFeatures(new Query(AggregateSchema.HISTORY_TYPE))
                            .features()) {
                while (it.hasNext()) {
                    read.add(StoredAggregate.fromFeature(it.next()));
                }
            }
        } finally {
            store.dispose();
        }

        assertThat(read).extracting(StoredAggregate::aggregate).containsExactly(a);
        assertThat(read.get(0).aggregate().coverage()).isZero();
    }
}
