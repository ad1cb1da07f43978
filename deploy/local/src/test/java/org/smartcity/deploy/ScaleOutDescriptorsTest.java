package org.smartcity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smartcity.core.config.Settings;
import org.smartcity.dashboard.DashboardConfig;
import org.smartcity.dashboard.DashboardMain;
import org.smartcity.ingest.IngestConfig;
import org.smartcity.ingest.IngestMain;
import org.smartcity.jobs.CityAggregationJob;
import org.smartcity.jobs.JobConfig;
import org.smartcity.store.StoreConfig;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The Kubernetes manifests of {@code deploy/k8s} checked against the code they run: the main
 * classes exist, the job jar is the one {@code stream-jobs} builds, every {@code SMARTCITY_*}
 * variable and every job flag is an option of the runnable that receives it and its value is
 * accepted by that runnable's own configuration, ports, probes and scrape annotations agree, the
 * Flink settings are Flink 2.2 options, and the Mosquitto wiring matches {@code deploy/mosquitto}.
 * Everything is read from the files, as {@code kubectl apply -k deploy/k8s} would.
 */
class ScaleOutDescriptorsTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String SECRET_PLACEHOLDER = "from-a-secret";

    /**
     * The programs the manifests start, by main class: the options each reads, and how it builds
     * its configuration (returning its HTTP port, or the job's parallelism).
     */
    private static final Map<String, Program> PROGRAMS =
            Map.of(
                    IngestMain.class.getName(),
                    new Program(IngestConfig.OPTIONS, s -> IngestConfig.from(s).httpPort()),
                    DashboardMain.class.getName(),
                    new Program(DashboardConfig.OPTIONS, s -> DashboardConfig.from(s).httpPort()),
                    CityAggregationJob.class.getName(),
                    new Program(JobConfig.OPTIONS, s -> JobConfig.from(s).parallelism()));

    private static Path deploy;
    private static Path k8s;
    private static List<JsonNode> resources;

    private record Program(
            List<org.smartcity.core.config.ConfigOption<?>> options,
            java.util.function.Function<Settings, Integer> build) {}

    /** One container of a workload, with the main class it runs and its pod's metadata. */
    private record Container(String workload, JsonNode pod, JsonNode spec, String mainClass) {}

    @BeforeAll
    static void load() throws IOException {
        deploy = DeployFiles.deployDir();
        k8s = deploy.resolve("k8s");
        resources = new ArrayList<>();
        for (JsonNode entry : yaml(k8s.resolve("kustomization.yaml")).get("resources")) {
            Path p = k8s.resolve(entry.asText()).normalize();
            if (Files.isDirectory(p)) {
                resources.addAll(generatedConfigMaps(p));
            } else {
                resources.addAll(yamlDocuments(p));
            }
        }
    }

    @Test
    void theKustomizationListsEveryManifestAndEveryListedFileExists() throws IOException {
        Set<String> listed = new HashSet<>();
        for (JsonNode entry : yaml(k8s.resolve("kustomization.yaml")).get("resources")) {
            assertThat(k8s.resolve(entry.asText())).exists();
            listed.add(entry.asText());
        }
        try (Stream<Path> files = Files.list(k8s)) {
            List<String> manifests =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".yaml"))
                            .filter(n -> !n.equals("kustomization.yaml"))
                            .filter(n -> !n.equals("kustomizeconfig.yaml"))
                            .toList();
            assertThat(listed).containsAll(manifests);
        }
        assertThat(listed).contains("../mosquitto");
    }

    @Test
    void everyMainClassExistsAndIsARunnableOfTheProject() throws Exception {
        List<Container> containers = projectContainers();
        assertThat(containers)
                .extracting(Container::mainClass)
                .containsExactlyInAnyOrderElementsOf(PROGRAMS.keySet());
        for (Container c : containers) {
            Method main = Class.forName(c.mainClass()).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(c.mainClass()).isTrue();
        }
    }

    @Test
    void theJobRunsTheShadedJarThatStreamJobsBuilds() throws Exception {
        Document pom = xml(DeployFiles.repositoryRoot().resolve("stream-jobs/pom.xml"));
        String artifactId = childText(pom.getDocumentElement(), "artifactId");
        String version =
                childText(
                        (Element) pom.getDocumentElement().getElementsByTagName("parent").item(0),
                        "version");
        String classifier =
                pom.getElementsByTagName("shadedClassifierName").item(0).getTextContent();
        String manifestMain = pom.getElementsByTagName("mainClass").item(0).getTextContent();
        String jar = artifactId + "-" + version + "-" + classifier + ".jar";

        JsonNode job = flinkDeployment().path("spec").path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/" + jar);
        assertThat(job.path("entryClass").asText())
                .isEqualTo(manifestMain)
                .isEqualTo(CityAggregationJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");

        String dockerfile = Files.readString(k8s.resolve("images/flink-job.Dockerfile"));
        assertThat(dockerfile)
                .contains(
                        "COPY --chown=flink:flink stream-jobs/target/"
                                + jar
                                + " /opt/flink/usrlib/");
        String flinkVersion = rootProperty("flink.version");
        assertThat(dockerfile).contains("FROM flink:" + flinkVersion + "-java17");
        String[] v = flinkVersion.split("\\.");
        assertThat(flinkDeployment().path("spec").path("flinkVersion").asText())
                .isEqualTo("v" + v[0] + "_" + v[1]);
    }

    @Test
    void everyVariableAndFlagIsAnOptionOfItsRunnableWithAValueItAccepts() {
        for (Container c : projectContainers()) {
            Program runnable = PROGRAMS.get(c.mainClass());
            Map<String, String> env = environment(c);
            Set<String> known = new HashSet<>(Set.of("SMARTCITY_CONFIG"));
            runnable.options().forEach(o -> known.add(o.environmentVariable()));
            assertThat(env.keySet())
                    .as("SMARTCITY_* variables of %s", c.workload())
                    .allSatisfy(name -> assertThat(known).as(c.workload()).contains(name));
            // Exactly what the runnable does at start: unknown flags and bad values fail here.
            Settings settings = Settings.load(runnable.options(), args(c), env);
            runnable.build().apply(settings);
        }
    }

    @Test
    void portsProbesAndScrapeAnnotationsAgreeWithTheRunnables() {
        for (Container c : projectContainers()) {
            if (c.mainClass().equals(CityAggregationJob.class.getName())) {
                continue;
            }
            Program runnable = PROGRAMS.get(c.mainClass());
            int httpPort =
                    runnable.build()
                            .apply(Settings.load(runnable.options(), args(c), environment(c)));
            assertThat(httpPort).as("http.port of %s", c.workload()).isPositive();
            assertThat(portNamed(c.spec(), "http")).as(c.workload()).isEqualTo(httpPort);
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                JsonNode get = c.spec().path(probe).path("httpGet");
                assertThat(get.path("path").asText())
                        .as(c.workload() + " " + probe)
                        .isEqualTo("/health");
                assertThat(get.path("port").asText())
                        .as(c.workload() + " " + probe)
                        .isEqualTo("http");
            }
            JsonNode annotations = c.pod().path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
            assertThat(annotations.path("prometheus.io/port").asText())
                    .isEqualTo(Integer.toString(httpPort));
            JsonNode limits = c.spec().path("resources").path("limits");
            assertThat(limits.path("memory").asText()).as(c.workload()).isNotEmpty();
            assertThat(c.spec().path("resources").path("requests").path("cpu").asText())
                    .as(c.workload())
                    .isNotEmpty();
        }
        JsonNode flink = flinkDeployment().path("spec");
        assertThat(
                        flink.path("podTemplate")
                                .path("metadata")
                                .path("annotations")
                                .path("prometheus.io/port")
                                .asText())
                .isEqualTo(
                        flink.path("flinkConfiguration")
                                .path("metrics.reporter.prom.port")
                                .asText());
    }

    @Test
    void everyServiceSelectsPodsAndTargetsANamedPortOfThem() {
        List<JsonNode> services = ofKind("Service");
        assertThat(services)
                .extracting(s -> name(s))
                .containsExactlyInAnyOrder("mosquitto", "smartcity-ingest", "smartcity-dashboard");
        for (JsonNode service : services) {
            JsonNode pod =
                    workloads().stream()
                            .map(w -> w.path("spec").path("template"))
                            .filter(
                                    t ->
                                            matches(
                                                    service.path("spec").path("selector"),
                                                    t.path("metadata").path("labels")))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no pods for Service " + name(service)));
            for (JsonNode port : service.path("spec").path("ports")) {
                String target = port.path("targetPort").asText();
                assertThat(pod.path("spec").path("containers").get(0).path("ports"))
                        .as("Service %s targetPort %s", name(service), target)
                        .anySatisfy(p -> assertThat(p.path("name").asText()).isEqualTo(target));
            }
        }
        JsonNode ingest = workload("StatefulSet", "smartcity-ingest");
        assertThat(ingest.path("spec").path("serviceName").asText()).isEqualTo("smartcity-ingest");
    }

    @Test
    void theBridgesHaveStableClientIdsAndTheMosquittoUserTheAclLetsRead() throws IOException {
        Container bridge =
                projectContainers().stream()
                        .filter(c -> c.mainClass().equals(IngestMain.class.getName()))
                        .findFirst()
                        .orElseThrow();
        assertThat(bridge.workload()).isEqualTo("StatefulSet/smartcity-ingest");
        JsonNode env = bridge.spec().path("env");
        assertThat(envEntry(env, "SMARTCITY_MQTT_CLIENT_ID").path("value").asText())
                .isEqualTo("$(POD_NAME)");
        assertThat(
                        envEntry(env, "POD_NAME")
                                .path("valueFrom")
                                .path("fieldRef")
                                .path("fieldPath")
                                .asText())
                .isEqualTo("metadata.name");
        assertThat(envEntry(env, "SMARTCITY_MQTT_PASSWORD").path("valueFrom").has("secretKeyRef"))
                .isTrue();

        URI mqtt = URI.create(environment(bridge).get("SMARTCITY_MQTT_URL"));
        JsonNode service =
                ofKind("Service").stream()
                        .filter(s -> name(s).equals(mqtt.getHost()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no Service " + mqtt.getHost()));
        assertThat(service.path("spec").path("ports"))
                .anySatisfy(p -> assertThat(p.path("port").asInt()).isEqualTo(mqtt.getPort()));

        List<String> acl = Files.readAllLines(deploy.resolve("mosquitto/acl"));
        String user = environment(bridge).get("SMARTCITY_MQTT_USERNAME");
        int at = acl.indexOf("user " + user);
        assertThat(at).as("'user %s' in deploy/mosquitto/acl", user).isNotNegative();
        assertThat(acl.get(at + 1)).isEqualTo("topic read city/#");
        assertThat(acl).contains("topic write city/_ingest/heartbeat/#");
        assertThat(acl).contains("pattern write city/+/+/%u");
    }

    @Test
    void mosquittoMountsTheShippedConfigurationWhereItsPathsPoint() throws IOException {
        JsonNode deployment = workload("Deployment", "mosquitto");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Map<String, String> mountOf = new HashMap<>();
        for (JsonNode m : container.path("volumeMounts")) {
            mountOf.put(m.path("name").asText(), m.path("mountPath").asText());
        }
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));

        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : Files.readAllLines(deploy.resolve("mosquitto/mosquitto.conf"))) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2 && !line.startsWith("#")) {
                conf.put(parts[0], parts[1]);
            }
        }
        assertThat(container.path("command").get(2).asText())
                .isEqualTo(
                        volumeMountPath(mountOf, volumes, "configMap", "mosquitto-config")
                                + "/mosquitto.conf");
        assertThat(Path.of(conf.get("acl_file")).getParent().toString())
                .isEqualTo(volumeMountPath(mountOf, volumes, "configMap", "mosquitto-config"));
        assertThat(Path.of(conf.get("password_file")).getParent().toString())
                .isEqualTo(volumeMountPath(mountOf, volumes, "secret", "mosquitto-passwd"));
        String data = volumeMountPath(mountOf, volumes, "persistentVolumeClaim", "mosquitto-data");
        assertThat(conf.get("persistence_location")).isEqualTo(data + "/");
        assertThat(conf.get("listener")).isEqualTo(Integer.toString(portNamed(container, "mqtt")));
        assertThat(conf)
                .containsEntry("allow_anonymous", "false")
                .containsEntry("persistence", "true");
        assertThat(Long.parseLong(conf.get("max_queued_messages"))).isGreaterThan(1000);

        JsonNode generated = configMap("mosquitto-config");
        assertThat(generated.path("data").path("acl").asText())
                .isEqualTo(Files.readString(deploy.resolve("mosquitto/acl")));
        assertThat(deployment.path("spec").path("strategy").path("type").asText())
                .isEqualTo("Recreate");
    }

    @Test
    void flinkSettingsAreFlink22OptionsAndItsStateIsOnASharedVolume() throws Exception {
        Set<String> flinkKeys = new HashSet<>();
        for (Class<?> options :
                List.of(
                        CheckpointingOptions.class,
                        HighAvailabilityOptions.class,
                        StateBackendOptions.class,
                        StateRecoveryOptions.class,
                        RestartStrategyOptions.class,
                        TaskManagerOptions.class,
                        JobManagerOptions.class)) {
            for (Field f : options.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && f.getType() == ConfigOption.class
                        && !f.isAnnotationPresent(Deprecated.class)) {
                    flinkKeys.add(((ConfigOption<?>) f.get(null)).key());
                }
            }
        }
        JsonNode spec = flinkDeployment().path("spec");
        JsonNode settings = spec.path("flinkConfiguration");
        List<String> keys = new ArrayList<>();
        settings.fieldNames().forEachRemaining(keys::add);
        // Operator settings, and the reporter's, whose keys contain the reporter's name.
        assertThat(
                        keys.stream()
                                .filter(k -> !k.startsWith("kubernetes.operator."))
                                .filter(k -> !k.startsWith("metrics.reporter.")))
                .allSatisfy(k -> assertThat(flinkKeys).as("a Flink 2.2 option").contains(k));

        JsonNode main = spec.path("podTemplate").path("spec").path("containers").get(0);
        assertThat(main.path("name").asText()).isEqualTo("flink-main-container");
        JsonNode mount = main.path("volumeMounts").get(0);
        JsonNode volume = spec.path("podTemplate").path("spec").path("volumes").get(0);
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        JsonNode claim =
                ofKind("PersistentVolumeClaim").stream()
                        .filter(
                                c ->
                                        name(c).equals(
                                                        volume.path("persistentVolumeClaim")
                                                                .path("claimName")
                                                                .asText()))
                        .findFirst()
                        .orElseThrow();
        assertThat(claim.path("spec").path("accessModes").get(0).asText())
                .isEqualTo("ReadWriteMany");
        for (String key :
                List.of(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                        CheckpointingOptions.SAVEPOINT_DIRECTORY.key(),
                        HighAvailabilityOptions.HA_STORAGE_PATH.key())) {
            URI dir = URI.create(settings.path(key).asText());
            assertThat(dir.getScheme()).as(key).isEqualTo("file");
            assertThat(dir.getPath()).as(key).startsWith(mount.path("mountPath").asText() + "/");
        }
        assertThat(settings.path(HighAvailabilityOptions.HA_MODE.key()).asText())
                .isEqualTo("kubernetes");
    }

    @Test
    void theHistoryStoreIsHBaseAndTheImagesBringItsGeoMesaModule() throws Exception {
        Container job =
                projectContainers().stream()
                        .filter(c -> c.mainClass().equals(CityAggregationJob.class.getName()))
                        .findFirst()
                        .orElseThrow();
        JobConfig config =
                JobConfig.from(Settings.load(JobConfig.OPTIONS, args(job), environment(job)));
        Optional<StoreConfig> history = config.historyStore();
        assertThat(history).get().isInstanceOf(StoreConfig.Custom.class);
        assertThat(history.get().dataStoreParams(StoreConfig.Access.WRITE))
                .containsOnlyKeys("hbase.catalog", "hbase.zookeepers");

        Document libs = xml(k8s.resolve("images/geomesa-hbase/pom.xml"));
        assertThat(libs.getElementsByTagName("geomesa.version").item(0).getTextContent())
                .isEqualTo(rootProperty("geomesa.version"));
        assertThat(Files.readString(k8s.resolve("images/geomesa-hbase/pom.xml")))
                .contains("<artifactId>geomesa-hbase-datastore_2.12</artifactId>");
        String lib = "deploy/k8s/images/geomesa-hbase/target/lib/";
        assertThat(Files.readString(k8s.resolve("images/flink-job.Dockerfile")))
                .contains("COPY --chown=flink:flink " + lib + " /opt/flink/usrlib/");
        assertThat(Files.readString(k8s.resolve("images/dashboard.Dockerfile")))
                .contains(lib + "geomesa-hbase-*.jar", lib + "hbase-shaded-client-*.jar");
    }

    // ---- reading the manifests

    /** The containers that run a main class of the project, with the main class each runs. */
    private static List<Container> projectContainers() {
        List<Container> out = new ArrayList<>();
        for (JsonNode w : workloads()) {
            JsonNode pod = w.path("spec").path("template");
            for (JsonNode c : pod.path("spec").path("containers")) {
                List<String> command = texts(c.path("command"));
                int cp = command.indexOf("-cp");
                if (cp >= 0) {
                    out.add(
                            new Container(
                                    w.path("kind").asText() + "/" + name(w),
                                    pod,
                                    c,
                                    command.get(cp + 2)));
                }
            }
        }
        JsonNode flink = flinkDeployment();
        JsonNode pod = flink.path("spec").path("podTemplate");
        out.add(
                new Container(
                        "FlinkDeployment/" + name(flink),
                        pod,
                        pod.path("spec").path("containers").get(0),
                        flink.path("spec").path("job").path("entryClass").asText()));
        return out;
    }

    /** The SMARTCITY_* variables a container sees: envFrom ConfigMaps, then its env. */
    private static Map<String, String> environment(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : c.spec().path("envFrom")) {
            assertThat(from.has("configMapRef")).as("envFrom of " + c.workload()).isTrue();
            configMap(from.path("configMapRef").path("name").asText())
                    .path("data")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : c.spec().path("env")) {
            String value = e.has("value") ? e.path("value").asText() : SECRET_PLACEHOLDER;
            env.put(e.path("name").asText(), value);
        }
        env.keySet().removeIf(k -> !k.startsWith("SMARTCITY_"));
        return env;
    }

    /** Command-line arguments: the FlinkDeployment's job args, or what follows the main class. */
    private static List<String> args(Container c) {
        if (c.workload().startsWith("FlinkDeployment/")) {
            return texts(flinkDeployment().path("spec").path("job").path("args"));
        }
        List<String> command = new ArrayList<>(texts(c.spec().path("command")));
        command.addAll(texts(c.spec().path("args")));
        return command.subList(command.indexOf(c.mainClass()) + 1, command.size());
    }

    private static List<JsonNode> workloads() {
        List<JsonNode> out = new ArrayList<>(ofKind("Deployment"));
        out.addAll(ofKind("StatefulSet"));
        return out;
    }

    private static JsonNode workload(String kind, String name) {
        return ofKind(kind).stream()
                .filter(w -> name(w).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode flinkDeployment() {
        List<JsonNode> all = ofKind("FlinkDeployment");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        return all.get(0);
    }

    private static JsonNode configMap(String name) {
        return ofKind("ConfigMap").stream()
                .filter(m -> name(m).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static List<JsonNode> ofKind(String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    private static JsonNode envEntry(JsonNode env, String name) {
        for (JsonNode e : env) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    private static int portNamed(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name);
    }

    private static String volumeMountPath(
            Map<String, String> mountOf,
            Map<String, JsonNode> volumes,
            String type,
            String source) {
        for (Map.Entry<String, JsonNode> v : volumes.entrySet()) {
            JsonNode s = v.getValue().path(type);
            String n =
                    s.has("name")
                            ? s.path("name").asText()
                            : s.has("secretName")
                                    ? s.path("secretName").asText()
                                    : s.path("claimName").asText();
            if (n.equals(source)) {
                assertThat(mountOf).as("mount of volume " + v.getKey()).containsKey(v.getKey());
                return mountOf.get(v.getKey());
            }
        }
        throw new AssertionError("no " + type + " volume of " + source);
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var it = selector.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ---- files

    private static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            return docs.readAll().stream().filter(d -> d != null && !d.isNull()).toList();
        }
    }

    /** The ConfigMaps a kustomization's configMapGenerator makes from its files. */
    private static List<JsonNode> generatedConfigMaps(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode generator :
                yaml(dir.resolve("kustomization.yaml")).path("configMapGenerator")) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            map.put("apiVersion", "v1").put("kind", "ConfigMap");
            map.putObject("metadata").put("name", generator.path("name").asText());
            ObjectNode data = map.putObject("data");
            for (JsonNode file : generator.path("files")) {
                data.put(file.asText(), Files.readString(dir.resolve(file.asText())));
            }
            out.add(map);
        }
        return out;
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String childText(Element parent, String tag) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + tag + "> in <" + parent.getTagName() + ">");
    }

    private static String rootProperty(String name) throws Exception {
        Document root = xml(DeployFiles.repositoryRoot().resolve("pom.xml"));
        return root.getElementsByTagName(name).item(0).getTextContent().trim();
    }
}
