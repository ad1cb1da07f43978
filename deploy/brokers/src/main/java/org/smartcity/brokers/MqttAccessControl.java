package org.smartcity.brokers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect, publish and subscribe on the embedded broker: the decisions, without HiveMQ
 * (which {@link MqttAuthExtension} plugs them into), so that they are tested on their own.
 *
 * <ul>
 *   <li>A client with a user name logs in with the password of that user in the {@linkplain
 *       MqttPasswordFile password file}, and then has the rights the {@linkplain MqttAcl ACL file}
 *       gives it.
 *   <li>A client without a user name is refused, unless anonymous access is allowed; then it may
 *       publish and subscribe to anything (quick trials, tests), as the broker did before it had
 *       users.
 *   <li>Client ids belong to users: a client id equal to a user name, or starting with that name
 *       and {@code -}, is that user's (the longest such name wins: {@code km-pm25-0042-a} is {@code
 *       km-pm25-0042}'s, not {@code km-pm25}'s). A client may only connect with a client id of its
 *       own user; an anonymous one only with a client id that is nobody's. So nobody takes over the
 *       session of another user's client, e.g. the bridge's.
 * </ul>
 *
 * Both files are re-read when they change (checked at most once a second), so users added with
 * {@link MqttCredentials#add} or {@code mosquitto_passwd} count without a restart; a file that
 * cannot be read any more keeps its last good content. Thread-safe.
 */
final class MqttAccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAccessControl.class);

    /** Why a connection is refused. */
    enum Refusal {
        /** Unknown user, wrong or missing password, or a password without a user name. */
        BAD_USER_NAME_OR_PASSWORD,
        /** No user name, and anonymous access is off. */
        ANONYMOUS_NOT_ALLOWED,
        /** The client id is another user's. */
        CLIENT_ID_NOT_OWNED,
        /** The will message is for a topic the user may not write. */
        WILL_NOT_ALLOWED
    }

    /**
     * How often the files are looked at: two stat calls on every publish of every client would be
     * wasted work at thousands of readings a second.
     */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final Reloading<MqttPasswordFile> passwords;
    private final Reloading<MqttAcl> acl;
    private final boolean allowAnonymous;

    /**
     * @param passwordFile Mosquitto password file, or null for none (then only anonymous clients)
     * @param aclFile Mosquitto ACL file, or null for none (then only anonymous clients)
     * @param allowAnonymous whether clients without a user name get in (with every right)
     * @throws IOException if a file cannot be read or parsed
     */
    MqttAccessControl(Path passwordFile, Path aclFile, boolean allowAnonymous) throws IOException {
        this(passwordFile, aclFile, allowAnonymous, CHECK_INTERVAL);
    }

    /** As above, looking for changed files at most every {@code checkInterval}. */
    MqttAccessControl(
            Path passwordFile, Path aclFile, boolean allowAnonymous, Duration checkInterval)
            throws IOException {
        if ((passwordFile == null) != (aclFile == null)) {
            throw new IllegalArgumentException(
                    "A password file needs an ACL file and the other way round");
        }
        this.passwords =
                passwordFile == null
                        ? null
                        : new Reloading<>(
                                passwordFile, MqttPasswordFile::read, "password", checkInterval);
        this.acl =
                aclFile == null
                        ? null
                        : new Reloading<>(aclFile, MqttAcl::read, "ACL", checkInterval);
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * Decides a CONNECT.
     *
     * @param user the user name, or null
     * @param password the password, or null
     * @return null to accept, else why not
     */
    Refusal authenticate(String clientId, String user, byte[] password) {
        MqttPasswordFile users = passwords == null ? MqttPasswordFile.empty() : passwords.get();
        if (user == null && password == null) {
            if (!allowAnonymous) {
                return Refusal.ANONYMOUS_NOT_ALLOWED;
            }
            return owner(users, clientId) == null ? null : Refusal.CLIENT_ID_NOT_OWNED;
        }
        if (user == null || password == null || !users.verify(user, password)) {
            return Refusal.BAD_USER_NAME_OR_PASSWORD;
        }
        return user.equals(owner(users, clientId)) ? null : Refusal.CLIENT_ID_NOT_OWNED;
    }

    /** Whether an authenticated client ({@code user} null: anonymous) may publish to topic. */
    boolean mayPublish(String user, String clientId, String topic) {
        return user == null ? allowAnonymous : acl.get().mayPublish(user, clientId, topic);
    }

    /** Whether an authenticated client ({@code user} null: anonymous) may subscribe to filter. */
    boolean maySubscribe(String user, String clientId, String filter) {
        return user == null ? allowAnonymous : acl.get().maySubscribe(user, clientId, filter);
    }

    /** The user a client id belongs to, or null. */
    private static String owner(MqttPasswordFile users, String clientId) {
        String owner = null;
        for (String user : users.users()) {
            boolean owns = clientId.equals(user) || clientId.startsWith(user + "-");
            if (owns && (owner == null || user.length() > owner.length())) {
                owner = user;
            }
        }
        return owner;
    }

    /** A parsed file, parsed again when its modification time or size changes. */
    private static final class Reloading<T> {

        interface Parser<T> {
            T parse(Path file) throws IOException;
        }

        private final Path file;
        private final Parser<T> parser;
        private final String kind;
        private final long checkNanos;
        private long checkedAt;
        private FileTime modified;
        private long size;
        private T value;

        Reloading(Path file, Parser<T> parser, String kind, Duration checkInterval)
                throws IOException {
            this.checkNanos = checkInterval.toNanos();
            this.checkedAt = System.nanoTime();
            this.file = file;
            this.parser = parser;
            this.kind = kind;
            this.modified = Files.getLastModifiedTime(file);
            this.size = Files.size(file);
            this.value = parser.parse(file);
        }

        synchronized T get() {
            long now = System.nanoTime();
            if (now - checkedAt < checkNanos) {
                return value;
            }
            checkedAt = now;
            FileTime nowModified;
            long nowSize;
            try {
                nowModified = Files.getLastModifiedTime(file);
                nowSize = Files.size(file);
            } catch (IOException e) {
                nowModified = null;
                nowSize = -1;
            }
            if (!Objects.equals(nowModified, modified) || nowSize != size) {
                // Remembered even if the new content is bad, so that it is reported once.
                modified = nowModified;
                size = nowSize;
                try {
                    value = parser.parse(file);
                    LOG.info("Reloaded the MQTT {} file {}", kind, file);
                } catch (IOException e) {
                    // The message names the file and line, never a line's content.
                    LOG.warn(
                            "Keeping the previous MQTT {} file: cannot read {}: {}",
                            kind,
                            file,
                            e.getMessage());
                }
            }
            return value;
        }
    }
}
