package org.smartcity.ingest.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.smartcity.core.bench.BenchRun;

/** The benchmark's command line. Flags after {@code --} go to the bridge's own configuration. */
record BenchOptions(
        boolean quick,
        Duration step,
        Duration warmup,
        Duration drain,
        int publishers,
        int sensorsPerPublisher,
        List<Integer> singleRates,
        List<Integer> batchRates,
        boolean single,
        boolean batch,
        Path jfr,
        List<String> bridgeFlags,
        List<String> args) {

    static final String USAGE =
            """
            BridgeBenchmark [--quick] [--step-seconds N] [--warmup-seconds N] [--drain-seconds N]
                            [--publishers N] [--sensors N] [--single-rates R1,R2,..]
                            [--batch-rates R1,R2,..] [--modes single,batch] [--jfr FILE]
                            [-- bridge flags, e.g. --kafka-linger 10ms]
              Rates are readings per second. Each mode warms up at half its first rate, ramps up
              its list until a step is not sustained (halving if the first one is not), bisects
              twice between the highest sustained and the lowest failed rate, then runs a step at
              half the highest sustained rate. MqttDeliveryProbe (same package) measures the MQTT
              broker's delivery rate alone.
            """;

    static BenchOptions parse(String... argv) {
        List<String> args = List.of(argv);
        int split = args.indexOf("--");
        List<String> own = split < 0 ? args : args.subList(0, split);
        List<String> bridge = split < 0 ? List.of() : args.subList(split + 1, args.size());
        boolean quick = own.contains("--quick");
        Duration step = Duration.ofSeconds(quick ? 5 : 20);
        Duration warmup = Duration.ofSeconds(quick ? 5 : 10);
        Duration drain = Duration.ofSeconds(5);
        int publishers = 8;
        int sensors = 250;
        List<Integer> single =
                quick
                        ? List.of(4_000, 12_000)
                        : List.of(5_000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000);
        List<Integer> batch =
                quick
                        ? List.of(20_000, 60_000)
                        : List.of(
                                20_000, 40_000, 60_000, 80_000, 100_000, 125_000, 150_000, 200_000);
        boolean doSingle = true;
        boolean doBatch = true;
        Path jfr = null;
        for (int i = 0; i < own.size(); i++) {
            String flag = own.get(i);
            if (flag.equals("--quick")) {
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(BenchRun.HELP);
            }
            if (i + 1 >= own.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = own.get(++i);
            switch (flag) {
                case "--step-seconds" -> step = Duration.ofSeconds(Long.parseLong(v));
                case "--warmup-seconds" -> warmup = Duration.ofSeconds(Long.parseLong(v));
                case "--drain-seconds" -> drain = Duration.ofSeconds(Long.parseLong(v));
                case "--publishers" -> publishers = Integer.parseInt(v);
                case "--sensors" -> sensors = Integer.parseInt(v);
                case "--single-rates" -> single = rates(v);
                case "--batch-rates" -> batch = rates(v);
                case "--modes" -> {
                    List<String> modes = Arrays.asList(v.split(","));
                    doSingle = modes.contains("single");
                    doBatch = modes.contains("batch");
                }
                case "--jfr" -> jfr = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (publishers < 1 || sensors < 1 || step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("publishers, sensors and step must be positive");
        }
        return new BenchOptions(
                quick,
                step,
                warmup,
                drain,
                publishers,
                sensors,
                single,
                batch,
                doSingle,
                doBatch,
                jfr,
                List.copyOf(bridge),
                List.copyOf(args));
    }

    private static List<Integer> rates(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim().replace("_", "")));
        }
        return List.copyOf(out);
    }
}
