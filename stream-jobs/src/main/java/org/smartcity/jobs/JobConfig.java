package org.smartcity.jobs;

import static org.smartcity.core.config.ConfigOption.custom;
import static org.smartcity.core.config.ConfigOption.duration;
import static org.smartcity.core.config.ConfigOption.integer;
import static org.smartcity.core.config.ConfigOption.string;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.smartcity.core.config.CityConfig;
import org.smartcity.core.config.CityOptions;
import org.smartcity.core.config.ConfigBuilder;
import org.smartcity.core.config.ConfigException;
import org.smartcity.core.config.ConfigOption;
import org.smartcity.core.config.KafkaConfig;
import org.smartcity.core.config.KafkaOptions;
import org.smartcity.core.config.Settings;
import org.smartcity.core.config.WindowOptions;
import org.smartcity.core.zoning.ZoningOptions;
import org.smartcity.core.zoning.ZoningSpec;
import org.smartcity.jobs.alerts.AlertRules;
import org.smartcity.store.StoreConfig;
import org.smartcity.store.StoreOptions;

/**
 * The city aggregation job's settings, resolved once in the client before the job is built. The
 * Kafka property sets are made here and nowhere else.
 *
 * @param kafka the Kafka cluster and the topic names: validated readings come from its readings
 *     topic, readings beyond the allowed lateness go to its late topic
 * @param groupId the consumer group; offsets are committed to it on each checkpoint
 * @param aggregatesTopic where aggregates go as JSON; empty for none
 * @param deliveryGuarantee of the Kafka sinks
 * @param windowLengths tumbling window lengths, shortest first
 * @param outOfOrderness how far behind the newest reading the watermark stays
 * @param idleness after how long without readings a partition stops holding the watermark back
 * @param allowedLateness how long after its end a window still accepts corrections
 * @param correctionInterval a window is re-emitted at most once per interval while late readings
 *     correct it
 * @param city the city (its time zone is carried for windows of a local day)
 * @param zoning the zones readings count in
 * @param checkpointInterval how often state and offsets are checkpointed
 * @param parallelism the job's parallelism, 0 for the cluster's default
 * @param historyStore where every aggregate emission is stored; empty for none
 * @param liveStore the live layer (newest window per metric, zone and length); empty for none
 * @param alertRules the alert rules the job evaluates; none: no alert stage
 */
public record JobConfig(
        KafkaConfig kafka,
        String groupId,
        String aggregatesTopic,
        DeliveryGuarantee deliveryGuarantee,
        List<Duration> windowLengths,
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration correctionInterval,
        CityConfig city,
        ZoningSpec zoning,
        Duration checkpointInterval,
        int parallelism,
        Optional<StoreConfig> historyStore,
        Optional<StoreConfig> liveStore,
        AlertRules alertRules) {

    /** The topic aggregates are written to when no other is configured. */
    public static final String DEFAULT_AGGREGATES_TOPIC = "smartcity.aggregates.v1";

    static final ConfigOption<String> GROUP_ID =
            string(
                    "kafka.group-id",
                    "smartcity-city-aggregation",
                    "consumer group of the readings source; offsets are committed on checkpoints");
    static final ConfigOption<String> AGGREGATES_TOPIC =
            string(
                    "kafka.aggregates-topic",
                    DEFAULT_AGGREGATES_TOPIC,
                    "topic for aggregates as JSON, keyed by feature id (empty: none)");
    static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            custom(
                    "kafka.delivery-guarantee",
                    "at-least-once",
                    "guarantee of the Kafka sinks: at-least-once (records visible at once;"
                            + " consumers keep the newest revision per key) or exactly-once"
                            + " (transactions; visible to read_committed consumers after each"
                            + " checkpoint)",
                    JobConfig::parseDeliveryGuarantee);
    static final ConfigOption<List<Duration>> WINDOW_LENGTHS =
            custom(
                    "window.lengths",
                    "1m,15m,1h,1d",
                    "tumbling window lengths, comma-separated; each a multiple of the shortest."
                            + " Whole days (1d) start at local midnight of --city-timezone",
                    JobConfig::parseWindowLengths);

    /** Shared with the dashboard, which marks indicator periods provisional for as long. */
    static final ConfigOption<Duration> ALLOWED_LATENESS = WindowOptions.ALLOWED_LATENESS;

    static final ConfigOption<Duration> CORRECTION_INTERVAL =
            duration(
                    "window.correction-interval",
                    "1s",
                    "a window corrected by late readings is re-emitted at most once per interval,"
                            + " with all the late readings of that interval");
    static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            duration(
                    "watermark.out-of-orderness",
                    "5s",
                    "how far out of order readings may arrive without being late");
    static final ConfigOption<Duration> IDLENESS =
            duration(
                    "watermark.idleness",
                    "1m",
                    "after how long without readings a Kafka partition stops holding back event"
                            + " time");
    static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            duration("checkpoint.interval", "30s", "exactly-once checkpoint interval");
    static final ConfigOption<String> ALERT_RULES =
            string(
                    "alert-rules",
                    AlertRules.NONE,
                    "alert rules: a YAML or JSON file, 'default' (the rules shipped in the jar,"
                            + " with the source of every threshold) or 'none' (no alerts)");
    static final ConfigOption<Integer> PARALLELISM =
            integer("parallelism", 0, 0, 32_768, "job parallelism (0: the cluster's default)");

    /** Every option, in the order {@code --help} lists them. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    KafkaOptions.BOOTSTRAP,
                    GROUP_ID,
                    KafkaOptions.READINGS_TOPIC,
                    KafkaOptions.REJECTED_TOPIC,
                    KafkaOptions.LATE_TOPIC,
                    KafkaOptions.ALERTS_TOPIC,
                    AGGREGATES_TOPIC,
                    DELIVERY_GUARANTEE,
                    WINDOW_LENGTHS,
                    ALLOWED_LATENESS,
                    CORRECTION_INTERVAL,
                    OUT_OF_ORDERNESS,
                    IDLENESS,
                    // Shared with the dashboard, which draws the zones this job aggregates over.
                    CityOptions.ID,
                    CityOptions.BBOX,
                    CityOptions.TIMEZONE,
                    ZoningOptions.H3_RESOLUTION,
                    ZoningOptions.DISTRICTS,
                    CHECKPOINT_INTERVAL,
                    PARALLELISM,
                    StoreOptions.HISTORY,
                    StoreOptions.HISTORY_LAYOUT,
                    StoreOptions.LIVE_CATALOG,
                    ALERT_RULES);

    public JobConfig {
        windowLengths = AggregationSpec.checkWindowLengths(windowLengths);
    }

    /**
     * Builds the configuration from resolved settings.
     *
     * @throws ConfigException naming the flag, when values do not fit together
     */
    public static JobConfig from(Settings s) {
        ZoningSpec zoning = ZoningOptions.spec(s);
        if (s.get(CHECKPOINT_INTERVAL).toMillis() < 10) {
            throw ConfigException.invalidValue(CHECKPOINT_INTERVAL, "at least 10ms");
        }
        if (s.get(CORRECTION_INTERVAL).toMillis() < 1) {
            throw ConfigException.invalidValue(CORRECTION_INTERVAL, "at least 1ms");
        }
        KafkaConfig kafka = KafkaOptions.from(s);
        // Read and checked here, in the client: a job with wrong rules does not start at all.
        AlertRules alertRules =
                AlertRules.load(s.get(ALERT_RULES))
                        .checkWindows(
                                s.get(WINDOW_LENGTHS), s.get(ALERT_RULES), WINDOW_LENGTHS.flag());
        return new JobConfig(
                kafka,
                s.get(GROUP_ID),
                s.get(AGGREGATES_TOPIC).trim(),
                s.get(DELIVERY_GUARANTEE),
                s.get(WINDOW_LENGTHS),
                s.get(OUT_OF_ORDERNESS),
                s.get(IDLENESS),
                s.get(ALLOWED_LATENESS),
                s.get(CORRECTION_INTERVAL),
                CityOptions.from(s),
                zoning,
                s.get(CHECKPOINT_INTERVAL),
                s.get(PARALLELISM),
                StoreOptions.history(s),
                StoreOptions.live(kafka.bootstrap(), s.get(StoreOptions.LIVE_CATALOG)),
                alertRules);
    }

    /**
     * The configuration given by command-line flags over the defaults (environment and files
     * ignored): for tests and for embedding the job.
     *
     * @throws ConfigException naming a wrong flag
     */
    public static JobConfig fromFlags(String... flags) {
        return from(Settings.fromFlags(OPTIONS, flags));
    }

    /** A job configured in code, the defaults for what is not set: for embedding. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka bootstrap servers. */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** Where validated readings come from. */
    public String readingsTopic() {
        return kafka.readingsTopic();
    }

    /** Where readings beyond the allowed lateness go. */
    public String lateTopic() {
        return kafka.lateTopic();
    }

    /**
     * Sets what an embedding program decides (Kafka, the stores, the checkpoint interval) as typed
     * values; {@link #build()} checks them as a start from flags would.
     */
    public static final class Builder extends ConfigBuilder<JobConfig, Builder>
            implements KafkaOptions.Setter<Builder>,
                    CityOptions.Setter<Builder>,
                    StoreOptions.Setter<Builder> {

        private Builder() {
            super(OPTIONS, JobConfig::from);
        }

        public Builder checkpointInterval(Duration interval) {
            return put(CHECKPOINT_INTERVAL, interval);
        }

        /** The guarantee of the Kafka sinks (aggregates, late readings, alerts). */
        public Builder deliveryGuarantee(DeliveryGuarantee guarantee) {
            return put(DELIVERY_GUARANTEE, guarantee);
        }

        /** The alert rules: a file, {@value AlertRules#DEFAULT} or {@value AlertRules#NONE}. */
        public Builder alertRules(String rules) {
            return put(ALERT_RULES, rules);
        }
    }

    /** What the aggregation computes, with the zoning of this configuration. */
    public AggregationSpec aggregation() {
        return new AggregationSpec(
                windowLengths,
                allowedLateness,
                correctionInterval,
                ZoneAssigner.of(zoning),
                city.timeZone());
    }

    /** Consumer settings of the readings source (bootstrap, group and topic are set apart). */
    public Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Flink commits offsets on checkpoints; the consumer's own commits would run ahead.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // New partitions of the readings topic are picked up without a restart.
        p.put("partition.discovery.interval.ms", "60000");
        // Kafka answers a fetch as soon as one byte is there: at a few hundred readings/s that is
        // a fetch round trip per reading or two, on the broker and the source's threads alike.
        // Waiting up to 100 ms for 16 KiB batches them; windows close on the 5 s
        // out-of-orderness bound, so 100 ms more is within the live layer's 1 s allowance, and
        // at high rates 16 KiB is there at once (issue 13).
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "16384");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return p;
    }

    /** Producer settings of the Kafka sinks (bootstrap and guarantee are set apart). */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // The broker's default ceiling (transaction.max.timeout.ms) is 15 minutes; Flink's
        // default of 1 hour would make every exactly-once transaction fail to start.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
        return p;
    }

    private static DeliveryGuarantee parseDeliveryGuarantee(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default -> throw new IllegalArgumentException("expected at-least-once or exactly-once");
        };
    }

    /**
     * Parses {@code 1m,15m,1h} (see {@link ConfigOption#parseDurations}) and checks the lengths.
     */
    static List<Duration> parseWindowLengths(String value) {
        return AggregationSpec.checkWindowLengths(ConfigOption.parseDurations(value));
    }
}
