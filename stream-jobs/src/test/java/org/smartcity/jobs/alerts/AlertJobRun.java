package org.smartcity.jobs.alerts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.smartcity.jobs.JobConfig;

/**
 * One run of the job with alert rules on a test class's shared Kafka broker: topics, consumer group
 * and rules file named after a random run id, so that the runs of a class never read each other's
 * records.
 *
 * @param id the run id, for names the test makes itself (job name, store directory)
 * @param readingsTopic the run's readings topic
 * @param alertsTopic the run's alerts topic
 * @param rules the run's rules file, written by {@link #writeRules}
 */
public record AlertJobRun(String id, String readingsTopic, String alertsTopic, Path rules) {

    /**
     * A threshold rule on a district's 1-minute PM2.5 mean, the crash tests' (here and in
     * deploy/local): moderate from 75, severe from 150, cleared below 65, as rule-file lines.
     */
    public static final List<String> PM25_MINUTE_RULE =
            List.of(
                    "  - id: pm25-minute",
                    "    kind: threshold",
                    "    metric: pm25",
                    "    zone_kind: district",
                    "    window: 1m",
                    "    statistic: mean",
                    "    levels: {moderate: 75, severe: 150}",
                    "    clear_below: 65",
                    "    source: test");

    /** A new run whose rules file will be in {@code dir}. */
    static AlertJobRun in(Path dir) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new AlertJobRun(
                id, "readings-" + id, "alerts-" + id, dir.resolve("rules-" + id + ".yaml"));
    }

    /** Writes the run's rules file: {@code rules:}, then {@code lines}. */
    void writeRules(List<String> lines) throws IOException {
        writeRules(rules, lines);
    }

    /** Writes a rules file: {@code rules:}, then {@code lines}. */
    public static void writeRules(Path file, List<String> lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("rules:");
        all.addAll(lines);
        all.add("");
        Files.writeString(file, String.join("\n", all));
    }

    /**
     * The job's configuration for this run: its topics, group and rules, exactly once into Kafka,
     * no aggregates topic, parallelism 2; then {@code more} flags.
     */
    JobConfig config(String kafkaBootstrap, String... more) {
        List<String> flags =
                new ArrayList<>(
                        List.of(
                                "--kafka-bootstrap=" + kafkaBootstrap,
                                "--kafka-group-id=alerts-" + id,
                                "--kafka-readings-topic=" + readingsTopic,
                                "--kafka-alerts-topic=" + alertsTopic,
                                "--kafka-aggregates-topic=",
                                "--kafka-delivery-guarantee=exactly-once",
                                "--alert-rules=" + rules,
                                // The readings topic has one partition: the source subtask without
                                // one must not hold event time back for the default minute.
                                "--watermark-idleness=1s",
                                "--parallelism=2"));
        flags.addAll(List.of(more));
        return JobConfig.fromFlags(flags.toArray(String[]::new));
    }
}
