package org.smartcity.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.smartcity.core.Metric;
import org.smartcity.core.Reading;

class SimulatorTest {
    private static final SimulatorConfig FAULTY_RUN =
            SimulatorConfig.parse(
                    "--total", "3000",
                    "--rate", "100000",
                    "--batch-size", "3",
                    "--fault-malformed", "0.02",
                    "--fault-out-of-range", "0.02",
                    "--fault-wrong-unit", "0.02",
                    "--fault-late", "0.02",
                    "--fault-duplicate", "0.02",
                    "--fault-out-of-order", "0.02",
                    "--fault-silent-sensors", "0.02");

    private static Simulator simulator(SimulatorConfig config, RecordingTransport transport) {
        return new Simulator(config, TestRuns.CLOCK, (c, stop) -> transport, System::nanoTime);
    }

    /** The summary a run without a broker predicts: every generated message, confirmed. */
    private static SimulationSummary generatedSummary(SimulatorConfig config) {
        MessageGenerator generator = new MessageGenerator(config, TestRuns.CLOCK);
        SummaryRecorder recorder = new SummaryRecorder(generator.silentSensors());
        generator.forEachRemaining(recorder::record);
        return recorder.snapshot();
    }

    @Test
    void publishesEveryGeneratedMessageInOrderAndSummarisesThem() {
        RecordingTransport transport = new RecordingTransport();
        try (Simulator simulator = simulator(FAULTY_RUN, transport)) {
            simulator.run();

            assertThat(transport.sent).isEqualTo(TestRuns.generate(FAULTY_RUN, TestRuns.CLOCK));
            assertThat(transport.closed).isTrue();
            SimulationSummary summary = simulator.summary();
            assertThat(summary).isEqualTo(generatedSummary(FAULTY_RUN));
            assertThat(summary.messagesPublished()).isEqualTo(transport.sent.size());
            assertThat(summary.unconfirmedMessages()).isZero();
            assertThat(summary.readingsSent() - summary.duplicates()).isEqualTo(3000);
            assertThat(summary.silentSensors()).hasSize(10);
        }
    }

    @Test
    void publishesNoFasterThanTheRate() {
        SimulatorConfig config = SimulatorConfig.parse("--total", "500", "--rate", "1000");
        RecordingTransport transport = new RecordingTransport();
        long start = System.nanoTime();
        try (Simulator simulator = simulator(config, transport)) {
            simulator.run();
        }
        // The 500th reading is due 499 ms after the start; none is published early.
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(499));
        assertThat(transport.sent).hasSize(500);
    }

    @Test
    void closeStopsAnEndlessRunAndEverythingPublishedIsAccountedFor() {
        SimulatorConfig config = SimulatorConfig.parse("--rate", "2000");
        RecordingTransport transport = new RecordingTransport();
        Simulator simulator = simulator(config, transport);
        CompletableFuture<Void> running = CompletableFuture.runAsync(simulator);

        await().atMost(Duration.ofSeconds(10)).until(() -> transport.sent.size() >= 200);
        simulator.close();

        assertThat(running).succeedsWithin(Duration.ofSeconds(5));
        SimulationSummary summary = simulator.summary();
        assertThat(summary.messagesPublished()).isEqualTo(transport.sent.size());
        assertThat(summary.messagesSent()).isEqualTo(transport.sent.size());
        assertThat(transport.closed).isTrue();
    }

    @Test
    void messagesTheBrokerDidNotConfirmAreUnconfirmedAndNotPredicted() {
        SimulatorConfig config = SimulatorConfig.parse("--total", "1000", "--rate", "100000");
        AtomicInteger sent = new AtomicInteger();
        RecordingTransport transport =
                new RecordingTransport(m -> sent.incrementAndGet() % 20 == 0);
        try (Simulator simulator = simulator(config, transport)) {
            simulator.run();

            SimulationSummary summary = simulator.summary();
            assertThat(summary.messagesPublished()).isEqualTo(1000);
            assertThat(summary.unconfirmedMessages()).isEqualTo(50);
            assertThat(summary.messagesSent()).isEqualTo(950);
            assertThat(summary.expectedAccepted()).isEqualTo(950);
        }
    }

    @Test
    void theListenerGetsTheForwardedReadingsOfConfirmedMessagesOnly() {
        List<Reading> reported = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        RecordingTransport transport =
                new RecordingTransport(m -> sent.incrementAndGet() % 10 == 0);
        try (Simulator simulator =
                new Simulator(
                        FAULTY_RUN,
                        TestRuns.CLOCK,
                        (c, stop) -> transport,
                        System::nanoTime,
                        reported::add)) {
            simulator.run();

            List<Reading> expected = new ArrayList<>();
            int n = 0;
            for (SimulatedMessage m : TestRuns.generate(FAULTY_RUN, TestRuns.CLOCK)) {
                if (++n % 10 == 0) {
                    continue; // refused by the transport: the bridge may not have it
                }
                for (PlannedReading r : m.readings()) {
                    if (r.expectedRejection().isEmpty()) {
                        expected.add(r.forwarded());
                    }
                }
            }
            assertThat(reported).containsExactlyElementsOf(expected);
            long confirmedAccepted = simulator.summary().expectedAccepted();
            assertThat(reported).hasSize((int) confirmedAccepted);
        }
    }

    @Test
    void metersFollowTheSummary() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordingTransport transport = new RecordingTransport();
        try (Simulator simulator = simulator(FAULTY_RUN, transport)) {
            simulator.metrics().bindTo(registry);
            simulator.run();

            SimulationSummary summary = simulator.summary();
            for (Metric metric : Metric.values()) {
                assertThat(
                                registry.get("simulator.readings.sent")
                                        .tag("metric", metric.id())
                                        .functionCounter()
                                        .count())
                        .isEqualTo((double) summary.readingsByMetric().getOrDefault(metric, 0L));
            }
            for (Fault fault : Fault.values()) {
                assertThat(
                                registry.get("simulator.faults")
                                        .tag("kind", fault.id())
                                        .functionCounter()
                                        .count())
                        .isEqualTo((double) summary.faults(fault));
            }
            assertThat(registry.get("simulator.messages.published").functionCounter().count())
                    .isEqualTo((double) summary.messagesPublished());
            assertThat(registry.get("simulator.messages.failed").functionCounter().count())
                    .isZero();
        }
    }

    @Test
    void aSimulatorRunsOnce() {
        try (Simulator simulator =
                simulator(SimulatorConfig.parse("--total", "1"), new RecordingTransport())) {
            simulator.run();
            assertThatThrownBy(simulator::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a Simulator runs once");
        }
    }

    @Test
    void aClosedSimulatorPublishesNothing() {
        RecordingTransport transport = new RecordingTransport();
        Simulator simulator = simulator(SimulatorConfig.parse("--total", "10"), transport);
        simulator.close();
        simulator.run();

        assertThat(transport.sent).isEmpty();
        assertThat(simulator.summary().messagesPublished()).isZero();
    }

    @Test
    void anUnreachableBrokerFailsTheRunWithTheReason() {
        SimulatorConfig config =
                SimulatorConfig.parse("--mqtt-url", "tcp://127.0.0.1:1", "--total", "1");
        try (Simulator simulator =
                new Simulator(
                        config,
                        TestRuns.CLOCK,
                        (c, stop) -> {
                            throw new ConnectException("Connection refused");
                        },
                        System::nanoTime)) {
            assertThatThrownBy(simulator::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "Cannot connect to the MQTT broker at tcp://127.0.0.1:1:"
                                    + " Connection refused");
            assertThat(simulator.summary().messagesPublished()).isZero();
        }
    }

    @Test
    void theSummaryIsAvailableBeforeTheRun() {
        Simulator simulator = simulator(FAULTY_RUN, new RecordingTransport());

        SimulationSummary summary = simulator.summary();
        assertThat(summary.messagesPublished()).isZero();
        assertThat(summary.silentSensors()).hasSize(10);
        assertThat(summary.faults()).containsOnlyKeys(Fault.SILENT_SENSOR);
        assertThat(List.copyOf(summary.silentSensors())).isSorted();
    }
}
