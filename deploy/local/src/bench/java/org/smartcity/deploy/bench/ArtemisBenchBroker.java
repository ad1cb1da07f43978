package org.smartcity.deploy.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.smartcity.brokers.MqttCredentials;

/**
 * An embedded Apache ActiveMQ Artemis as the platform's MQTT 5 broker, for {@code PlatformBenchmark
 * --broker artemis} only (issue 13: a broker measured beside HiveMQ CE, not part of the platform).
 * Runs in a JVM of its own, started by the benchmark on the bench profile's class path: {@code
 * ArtemisBenchBroker DATA_DIR PORT CREDENTIALS_DIR PARENT_PID}.
 *
 * <p>QoS 1 messages are durable in Artemis's file journal under {@code DATA_DIR} (NIO: libaio is
 * not installed here; fsync'd in batches before the PUBACK), the MQTT acceptor listens on 127.0.0.1
 * only and advertises a receive maximum of 1,000 as the embedded HiveMQ does. Users and rights
 * follow the demo's ACL ({@link MqttCredentials}): the gateway user ({@code smartcity-simulator})
 * may publish to {@code city/kunming/#}; the bridge user reads {@code city/#} and writes its
 * heartbeats. The demo's bridge logs in without a user name when it is given {@code --mqtt-url}, so
 * an anonymous client gets the bridge's rights (what {@code PlatformBenchmark} does for Mosquitto
 * too); per-device users ({@code pattern write city/+/+/%u}) are left out, since the benchmark has
 * no devices.
 */
public final class ArtemisBenchBroker {

    /** Printed on standard output once the acceptor listens. */
    static final String READY = "Artemis MQTT broker ready";

    private static final String BRIDGE_ROLE = "bridge";
    private static final String GATEWAY_ROLE = "gateway";

    private ArtemisBenchBroker() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println(
                    "usage: ArtemisBenchBroker DATA_DIR PORT CREDENTIALS_DIR PARENT_PID");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        MqttCredentials users = MqttCredentials.provision(Path.of(args[2]));
        long parent = Long.parseLong(args[3]);

        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("smartcity-bench");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(data.resolve("journal").toString());
        c.setBindingsDirectory(data.resolve("bindings").toString());
        c.setPagingDirectory(data.resolve("paging").toString());
        c.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        c.setJMXManagementEnabled(false);
        c.setSecurityEnabled(true);
        c.addAcceptorConfiguration(
                "mqtt", "tcp://127.0.0.1:" + port + "?protocols=MQTT;receiveMaximum=1000");
        // MQTT's '/' is Artemis's '.', '+' is '*': city/# is the address match city.#. The most
        // specific match applies, so the heartbeat match repeats the bridge's reading rights.
        Role bridgeReads = role(BRIDGE_ROLE, false, true);
        Role bridgeWrites = role(BRIDGE_ROLE, true, true);
        Role gatewayWrites = role(GATEWAY_ROLE, true, false);
        c.putSecurityRoles("city.#", Set.of(bridgeReads));
        c.putSecurityRoles("city.kunming.#", Set.of(bridgeReads, gatewayWrites));
        c.putSecurityRoles("city._ingest.heartbeat.#", Set.of(bridgeWrites));

        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(c);
        broker.setSecurityManager(
                new Users(
                        Map.of(
                                users.bridgeUser(),
                                new User(users.bridgePassword(), BRIDGE_ROLE),
                                users.simulatorUser(),
                                new User(users.simulatorPassword(), GATEWAY_ROLE))));
        broker.start();
        System.out.println(READY + " on 127.0.0.1:" + port);
        System.out.flush();

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        broker.stop();
                                    } catch (Exception e) {
                                        e.printStackTrace();
                                    }
                                    stop.countDown();
                                }));
        // Exits with the benchmark even when it was killed without a chance to stop this JVM.
        ProcessHandle.of(parent).ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
        stop.await();
    }

    /**
     * A role with the rights an MQTT client needs: publishing (send, and creating the topic's
     * address on its first message) and/or subscribing with a persistent session (consume, and
     * creating and deleting the subscription's queues and address).
     */
    private static Role role(String name, boolean publish, boolean subscribe) {
        return new Role(
                name, publish, // send
                subscribe, // consume
                subscribe, // createDurableQueue
                subscribe, // deleteDurableQueue
                subscribe, // createNonDurableQueue
                subscribe, // deleteNonDurableQueue
                false, // manage
                false, // browse
                true, // createAddress
                subscribe, // deleteAddress: unsubscribing removes the subscription's address
                false, // view
                false); // edit
    }

    private record User(String password, String role) {}

    /**
     * User names and passwords of the demo's two users; a client without a user name is the demo's
     * bridge (see the class comment).
     */
    private record Users(Map<String, User> users) implements ActiveMQSecurityManager {

        private User of(String user, String password) {
            if (user == null) {
                return users.values().stream()
                        .filter(u -> u.role().equals(BRIDGE_ROLE))
                        .findFirst()
                        .orElseThrow();
            }
            User u = users.get(user);
            return u != null && u.password().equals(password) ? u : null;
        }

        @Override
        public boolean validateUser(String user, String password) {
            return of(user, password) != null;
        }

        @Override
        public boolean validateUserAndRole(
                String user, String password, Set<Role> roles, CheckType checkType) {
            User u = of(user, password);
            return u != null
                    && roles.stream()
                            .anyMatch(r -> r.getName().equals(u.role()) && checkType.hasRole(r));
        }
    }
}
