package org.smartcity.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.smartcity.core.Metric;
import org.smartcity.core.RejectionReason;

/**
 * What a run published and what the bridge should make of it, for comparison with what the bridge
 * actually accepted and rejected.
 *
 * <p>Counts cover the messages the broker confirmed (QoS 1): those are the ones the bridge is bound
 * to receive. Readings are counted per published copy, so a {@link Fault#DUPLICATE} message counts
 * twice everywhere, as it does at the bridge, which does not deduplicate; {@link #duplicates()}
 * says how many extra copies that made. Every map holds only non-zero counts, in enum order.
 *
 * @param messagesPublished messages handed to the broker, confirmed or not
 * @param messagesByMetric confirmed messages per metric
 * @param readingsByMetric readings in confirmed messages per metric
 * @param acceptedByMetric readings the bridge should accept, per metric
 * @param rejectionsByReason readings (or single payloads) the bridge should reject, per reason
 * @param faults readings affected per fault; for {@link Fault#SILENT_SENSOR}, sensors
 * @param silentSensors ids of the sensors that fell silent after their first message, sorted
 * @param acceptedRepeats extra copies of valid readings (from {@link Fault#DUPLICATE}): the repeats
 *     the bridge's per-device sequence accounting should report
 */
public record SimulationSummary(
        long messagesPublished,
        Map<Metric, Long> messagesByMetric,
        Map<Metric, Long> readingsByMetric,
        Map<Metric, Long> acceptedByMetric,
        Map<RejectionReason, Long> rejectionsByReason,
        Map<Fault, Long> faults,
        List<String> silentSensors,
        long acceptedRepeats) {

    private static final JsonFactory JSON = new JsonFactory();

    public SimulationSummary {
        messagesByMetric = nonZero(Metric.class, messagesByMetric);
        readingsByMetric = nonZero(Metric.class, readingsByMetric);
        acceptedByMetric = nonZero(Metric.class, acceptedByMetric);
        rejectionsByReason = nonZero(RejectionReason.class, rejectionsByReason);
        faults = nonZero(Fault.class, faults);
        silentSensors = List.copyOf(silentSensors);
    }

    /** Messages the broker confirmed. */
    public long messagesSent() {
        return sum(messagesByMetric);
    }

    /**
     * Messages published but not confirmed: in flight during a run; after it, messages the bridge
     * may or may not have received (the connection failed, or the drain timed out).
     */
    public long unconfirmedMessages() {
        return messagesPublished - messagesSent();
    }

    /** Readings in confirmed messages, duplicate copies included. */
    public long readingsSent() {
        return sum(readingsByMetric);
    }

    /** Readings the bridge should accept, over all metrics. */
    public long expectedAccepted() {
        return sum(acceptedByMetric);
    }

    /** Rejections the bridge should produce, over all reasons. */
    public long expectedRejected() {
        return sum(rejectionsByReason);
    }

    public long expectedAccepted(Metric metric) {
        return acceptedByMetric.getOrDefault(metric, 0L);
    }

    public long expectedRejections(RejectionReason reason) {
        return rejectionsByReason.getOrDefault(reason, 0L);
    }

    public long faults(Fault fault) {
        return faults.getOrDefault(fault, 0L);
    }

    /** Extra copies published by {@link Fault#DUPLICATE}, in readings. */
    public long duplicates() {
        return faults(Fault.DUPLICATE);
    }

    /** Readings published after a newer reading of the same sensor. */
    public long outOfOrder() {
        return faults(Fault.OUT_OF_ORDER);
    }

    /** Readings with a timestamp minutes to hours in the past (accepted). */
    public long late() {
        return faults(Fault.LATE);
    }

    /** A table for people, printed at the end of a run. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append("Simulation summary\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "  messages  %,d published, %,d confirmed by the broker, %,d unconfirmed%n",
                        messagesPublished,
                        messagesSent(),
                        unconfirmedMessages()));
        b.append(
                String.format(
                        Locale.ROOT,
                        "  readings  %,d sent (duplicate copies included)%n%n",
                        readingsSent()));
        String row = "  %-12s %12s %12s %16s%n";
        b.append(
                String.format(
                        Locale.ROOT, row, "metric", "messages", "readings", "bridge accepts"));
        for (Metric m : Metric.values()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            m.id(),
                            number(messagesByMetric.getOrDefault(m, 0L)),
                            number(readingsByMetric.getOrDefault(m, 0L)),
                            number(expectedAccepted(m))));
        }
        b.append(
                String.format(
                        Locale.ROOT,
                        row,
                        "total",
                        number(messagesSent()),
                        number(readingsSent()),
                        number(expectedAccepted())));
        b.append('\n');
        b.append("  bridge rejects  ")
                .append(listing(rejectionsByReason, Enum::name))
                .append(String.format(Locale.ROOT, " (total %s)%n", number(expectedRejected())));
        b.append("  faults          ").append(listing(faults, Fault::id)).append('\n');
        b.append("  silent sensors  ")
                .append(silentSensors.isEmpty() ? "none" : String.join(", ", silentSensors))
                .append('\n');
        return b.toString();
    }

    /** The summary as a JSON object, with metric ids, reason names and fault ids as keys. */
    public String toJson() {
        try (Writer out = new StringWriter()) {
            try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
                write(g);
            }
            return out.toString() + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link #toJson()} to a file, replacing it. */
    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file);
                JsonGenerator g =
                        JSON.createGenerator(out, JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            write(g);
        }
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("messagesPublished", messagesPublished);
        g.writeNumberField("messagesSent", messagesSent());
        g.writeNumberField("unconfirmedMessages", unconfirmedMessages());
        g.writeNumberField("readingsSent", readingsSent());
        writeCounts(g, "messagesByMetric", messagesByMetric, Metric::id);
        writeCounts(g, "readingsByMetric", readingsByMetric, Metric::id);
        g.writeNumberField("expectedAccepted", expectedAccepted());
        writeCounts(g, "acceptedByMetric", acceptedByMetric, Metric::id);
        g.writeNumberField("expectedRejected", expectedRejected());
        writeCounts(g, "rejectionsByReason", rejectionsByReason, Enum::name);
        writeCounts(g, "faults", faults, Fault::id);
        g.writeNumberField("duplicates", duplicates());
        g.writeNumberField("acceptedRepeats", acceptedRepeats);
        g.writeNumberField("outOfOrder", outOfOrder());
        g.writeNumberField("late", late());
        g.writeArrayFieldStart("silentSensors");
        for (String id : silentSensors) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static <K> void writeCounts(
            JsonGenerator g, String name, Map<K, Long> counts, Function<K, String> key)
            throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<K, Long> e : counts.entrySet()) {
            g.writeNumberField(key.apply(e.getKey()), e.getValue());
        }
        g.writeEndObject();
    }

    private static <K> String listing(Map<K, Long> counts, Function<K, String> key) {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream()
                .map(e -> key.apply(e.getKey()) + " " + number(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static long sum(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static <E extends Enum<E>> Map<E, Long> nonZero(Class<E> type, Map<E, Long> counts) {
        EnumMap<E, Long> copy = new EnumMap<>(type);
        counts.forEach(
                (k, v) -> {
                    if (v != 0) {
                        copy.put(k, v);
                    }
                });
        return Collections.unmodifiableMap(copy);
    }

    /** The non-zero entries of counters indexed by ordinal. */
    static <E extends Enum<E>> Map<E, Long> counts(Class<E> type, AtomicLongArray counters) {
        EnumMap<E, Long> map = new EnumMap<>(type);
        E[] keys = type.getEnumConstants();
        for (int i = 0; i < keys.length; i++) {
            long v = counters.get(i);
            if (v != 0) {
                map.put(keys[i], v);
            }
        }
        return map;
    }
}
