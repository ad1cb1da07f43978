package org.smartcity.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

    /** Every credential form the README documents, as an operator would type it. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "redis://:S3cret@host:6379 | redis://****@host:6379",
                "redis://user:S3cret@host:6379/2 | redis://****@host:6379/2",
                "redis://u:S3cret@r1:6379,redis://u:S3cret@r2:6379"
                        + " | redis://****@r1:6379,redis://****@r2:6379",
                "s3a://AKIAXYZ:S3cret@bucket/history | s3a://****@bucket/history",
                "hdfs://analyst@namenode:8020/smartcity | hdfs://****@namenode:8020/smartcity",
                "tcp://bridge:S3cret@broker:1883 | tcp://****@broker:1883",
                "geomesa:accumulo.instance.name=smartcity;accumulo.zookeepers=zk1:2181;"
                        + "accumulo.user=smartcity;accumulo.password=S3cret;accumulo.catalog=agg"
                        + " | geomesa:accumulo.instance.name=smartcity;accumulo.zookeepers=zk1:2181;"
                        + "accumulo.user=smartcity;accumulo.password=****;accumulo.catalog=agg",
                "geomesa:hbase.catalog=smartcity;hbase.zookeepers=zk1:2181,zk2:2181"
                        + " | geomesa:hbase.catalog=smartcity;hbase.zookeepers=zk1:2181,zk2:2181",
                "https://host/api?token=S3cret&limit=5 | https://host/api?token=****&limit=5",
                "mqtt.password = S3cret | mqtt.password = ****",
                "mqtt.credentials-file = /etc/smartcity/passwd"
                        + " | mqtt.credentials-file = /etc/smartcity/passwd",
                "localhost:9092 | localhost:9092",
                "data/history | data/history",
            })
    void masksCredentialsInEveryDocumentedForm(String given, String expected) {
        assertThat(Secrets.mask(given)).isEqualTo(expected).doesNotContain("S3cret");
    }

    @Test
    void wholeValuesOfSecretKeysAreMasked() {
        assertThat(Secrets.maskValue("accumulo.password", "S3cret")).isEqualTo("****");
        assertThat(Secrets.maskValue("sasl.jaas.config", "x required password=\"S3cret\";"))
                .isEqualTo("****");
        assertThat(Secrets.maskValue("redis.url", "redis://:S3cret@h:6379"))
                .isEqualTo("redis://****@h:6379");
        assertThat(Secrets.maskValue("redis.catalog", "smartcity")).isEqualTo("smartcity");
    }

    @Test
    void scrubbedExceptionsKeepClassesAndFramesButNotSecrets() {
        IOException cause = new IOException("connect to redis://:S3cret@h:6379 refused");
        RuntimeException error = new IllegalStateException("open failed", cause);
        RuntimeException scrubbed = Secrets.scrub(error);
        assertThat(scrubbed)
                .hasMessage("java.lang.IllegalStateException: open failed")
                .hasCauseInstanceOf(Secrets.MaskedException.class);
        assertThat(scrubbed.getCause())
                .hasMessage("java.io.IOException: connect to redis://****@h:6379 refused");
        assertThat(scrubbed.getStackTrace()).isEqualTo(error.getStackTrace());
    }

    @Test
    void settingsDescribeAndErrorsMaskUrlCredentials() {
        ConfigOption<String> url = ConfigOption.string("store.url", null, "a store URL");
        Settings settings =
                Settings.load(
                        List.of(url),
                        List.of("--store-url", "redis://:S3cret@host:6379"),
                        Map.of());
        assertThat(settings.describe()).contains("redis://****@host:6379").doesNotContain("S3cret");
    }
}
