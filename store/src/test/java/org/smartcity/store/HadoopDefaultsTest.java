package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopDefaultsTest {

    /** A key only {@code core-default.xml} sets. */
    private static final String FROM_CORE_DEFAULT = "hadoop.common.configuration.version";

    @Test
    void hidesHadoopsDefaultResourcesOnly() {
        assertThat(HadoopDefaults.hidden("core-default.xml")).isTrue();
        assertThat(HadoopDefaults.hidden("core-site.xml")).isTrue();
        assertThat(HadoopDefaults.hidden("hdfs-rbf-default.xml")).isTrue();
        assertThat(HadoopDefaults.hidden("mapred-site.xml")).isTrue();
        assertThat(HadoopDefaults.hidden("log4j2-test.xml")).isFalse();
        assertThat(HadoopDefaults.hidden("META-INF/core-site.xml")).isFalse();
        assertThat(HadoopDefaults.hidden("org/apache/hadoop/fs/FileSystem.class")).isFalse();
    }

    @Test
    void aConfigurationMadeOnAPoolStartedDuringAReadParsesNoDefaults() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        String inPool =
                HadoopDefaults.withoutDefaults(
                        () -> {
                            // As GeoMesa does: a pool per query, its threads started by the query.
                            ExecutorService pool = Executors.newFixedThreadPool(1);
                            try {
                                return pool.submit(() -> new Configuration().get(FROM_CORE_DEFAULT))
                                        .get();
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            } finally {
                                pool.shutdownNow();
                            }
                        });

        assertThat(inPool).isNull();
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        assertThat(new Configuration().get(FROM_CORE_DEFAULT)).isNotNull();
    }

    @Test
    void everythingElseStillLoads() throws Exception {
        Class<?> loaded =
                HadoopDefaults.withoutDefaults(
                        () -> {
                            try {
                                return Thread.currentThread()
                                        .getContextClassLoader()
                                        .loadClass(Configuration.class.getName());
                            } catch (ClassNotFoundException e) {
                                throw new AssertionError(e);
                            }
                        });
        assertThat(loaded).isSameAs(Configuration.class);
    }
}
