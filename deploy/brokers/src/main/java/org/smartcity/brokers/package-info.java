/**
 * Embedded message brokers for the local platform and integration tests, each in its own JVM.
 *
 * <p>{@link org.smartcity.brokers.KafkaBroker} and {@link org.smartcity.brokers.MqttBroker} start,
 * stop, kill and restart a single-node Kafka (KRaft) or a HiveMQ CE broker in a child process and
 * depend only on the JDK: depend on this artifact with all transitive dependencies excluded. The
 * child processes run {@link org.smartcity.brokers.KafkaBrokerMain} and {@link
 * org.smartcity.brokers.MqttBrokerMain} on this module's own runtime classpath, so Kafka's Scala
 * 2.13 and HiveMQ's logback and Netty never meet the caller's libraries.
 *
 * <p>The MQTT broker requires users unless told otherwise: {@link
 * org.smartcity.brokers.MqttCredentials} provisions a password file and an ACL file in Mosquitto's
 * formats (the same files serve Mosquitto, see deploy/mosquitto), which the broker enforces through
 * an embedded HiveMQ extension; {@link org.smartcity.brokers.MqttBroker#startAnonymous} is for
 * tests that are not about access control.
 */
package org.smartcity.brokers;
