package org.smartcity.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The MQTT users of a local platform, in a directory of their own: a password file ({@code passwd},
 * Mosquitto's format, readable by {@code mosquitto_passwd} and Mosquitto), an ACL file ({@code
 * acl}, Mosquitto's format, the rules of {@code deploy/mosquitto/acl}) and the generated passwords
 * of the platform's own two users ({@code passwords.properties}). JDK only.
 *
 * <p>{@link #provision} creates what is missing and keeps what exists, so the passwords stay the
 * same across restarts and added devices stay added. Users:
 *
 * <ul>
 *   <li>{@value #BRIDGE_USER}: the bridges; reads {@code city/#} (so also the shared subscription
 *       {@code $share/ingest/city/+/+/+}) and writes its heartbeats to {@value
 *       #BRIDGE_HEARTBEAT_FILTER}; client ids {@code smartcity-ingest} or {@code
 *       smartcity-ingest-*};
 *   <li>{@value #SIMULATOR_USER}: the simulator, a gateway that publishes for every sensor of one
 *       city ({@code city/CITY/#}); client ids {@code smartcity-simulator-*};
 *   <li>devices, added with {@link #add}: user name = sensor id; may publish only to {@code
 *       city/+/+/SENSORID}.
 * </ul>
 *
 * The directory is owner-only (0700) and every file in it 0600. A running broker notices changes to
 * the files by itself.
 */
public final class MqttCredentials {

    /** The bridges' user. */
    public static final String BRIDGE_USER = "smartcity-ingest";

    /** The simulator's user. */
    public static final String SIMULATOR_USER = "smartcity-simulator";

    /** Where the bridges publish their heartbeats (ingest's DeliveryWatchdog). */
    static final String BRIDGE_HEARTBEAT_FILTER = "city/_ingest/heartbeat/#";

    private static final String BRIDGE_HEARTBEAT_RULE = "topic write " + BRIDGE_HEARTBEAT_FILTER;

    private static final String PASSWORD_FILE = "passwd";
    private static final String ACL_FILE = "acl";
    private static final String SECRETS_FILE = "passwords.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final String bridgePassword;
    private final String simulatorPassword;

    private MqttCredentials(Path dir, String bridgePassword, String simulatorPassword) {
        this.dir = dir;
        this.bridgePassword = bridgePassword;
        this.simulatorPassword = simulatorPassword;
    }

    /** As {@link #provision(Path, String)} for Kunming, the simulator's default city. */
    public static MqttCredentials provision(Path dir) {
        return provision(dir, "kunming");
    }

    /**
     * Creates in {@code dir} whatever of the password, ACL and passwords files is missing, with
     * random passwords for {@value #BRIDGE_USER} and {@value #SIMULATOR_USER}, and returns them.
     *
     * @param city the city id whose topics the simulator may write ({@code city/CITY/#}); used only
     *     when the ACL file is created
     * @throws UncheckedIOException if the directory or a file cannot be written
     */
    public static MqttCredentials provision(Path dir, String city) {
        if (!MqttPasswordFile.USER_NAME.matcher(city).matches()) {
            throw new IllegalArgumentException("Not a city id: " + city);
        }
        try {
            Path abs = dir.toAbsolutePath();
            if (!Files.isDirectory(abs)) {
                Files.createDirectories(abs);
                setPermissions(abs, PosixFilePermissions.fromString("rwx------"));
            }
            Path secretsFile = abs.resolve(SECRETS_FILE);
            Properties secrets = new Properties();
            if (Files.exists(secretsFile)) {
                try (var in = Files.newBufferedReader(secretsFile, StandardCharsets.UTF_8)) {
                    secrets.load(in);
                }
            }
            Path passwordFile = abs.resolve(PASSWORD_FILE);
            MqttPasswordFile users =
                    Files.exists(passwordFile)
                            ? MqttPasswordFile.read(passwordFile)
                            : MqttPasswordFile.empty();
            boolean changed = false;
            for (String user : new String[] {BRIDGE_USER, SIMULATOR_USER}) {
                // A user without a known password (or a password without its user) gets a new one.
                if (secrets.getProperty(user) == null || !users.users().contains(user)) {
                    String password = randomPassword();
                    secrets.setProperty(user, password);
                    users = users.withUser(user, password);
                    changed = true;
                }
            }
            if (changed) {
                StringBuilder text =
                        new StringBuilder(
                                "# Passwords of the platform's own MQTT users (generated; the"
                                        + " password file holds only their hashes)\n");
                for (String user : new String[] {BRIDGE_USER, SIMULATOR_USER}) {
                    text.append(user).append('=').append(secrets.getProperty(user)).append('\n');
                }
                writeOwnerOnly(secretsFile, text.toString());
                writeOwnerOnly(passwordFile, users.text());
            }
            Path aclFile = abs.resolve(ACL_FILE);
            if (!Files.exists(aclFile)) {
                writeOwnerOnly(aclFile, acl(city));
            } else {
                addHeartbeatRule(aclFile);
            }
            return new MqttCredentials(
                    abs, secrets.getProperty(BRIDGE_USER), secrets.getProperty(SIMULATOR_USER));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot provision MQTT users in " + dir + ": " + e, e);
        }
    }

    /**
     * Adds a user, or gives an existing one a new password; a running broker accepts it within a
     * moment, without a restart. For a device the user name is its sensor id, and it may then
     * publish to {@code city/+/+/SENSORID} only.
     *
     * @param user a name matching {@code [A-Za-z0-9._-]{1,64}}
     * @param password not empty; stored only as a salted PBKDF2-SHA512 hash
     */
    public synchronized void add(String user, String password) {
        try {
            writeOwnerOnly(
                    passwordFile(),
                    MqttPasswordFile.read(passwordFile()).withUser(user, password).text());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add MQTT user " + user + ": " + e, e);
        }
    }

    /** Removes a user; connections it has stay up until they close. */
    public synchronized void remove(String user) {
        try {
            writeOwnerOnly(
                    passwordFile(), MqttPasswordFile.read(passwordFile()).withoutUser(user).text());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove MQTT user " + user + ": " + e, e);
        }
    }

    /** The directory holding the files. */
    public Path dir() {
        return dir;
    }

    /** The password file ({@code mosquitto_passwd} format). */
    public Path passwordFile() {
        return dir.resolve(PASSWORD_FILE);
    }

    /** The ACL file (Mosquitto {@code acl_file} format). */
    public Path aclFile() {
        return dir.resolve(ACL_FILE);
    }

    /** The bridges' user name, {@value #BRIDGE_USER}. */
    public String bridgeUser() {
        return BRIDGE_USER;
    }

    /** The bridges' password. */
    public String bridgePassword() {
        return bridgePassword;
    }

    /** The simulator's user name, {@value #SIMULATOR_USER}. */
    public String simulatorUser() {
        return SIMULATOR_USER;
    }

    /** The simulator's password. */
    public String simulatorPassword() {
        return simulatorPassword;
    }

    @Override
    public String toString() {
        return "MQTT users in " + dir; // never the passwords
    }

    /** The ACL of deploy/mosquitto/acl, with the simulator's lines in force. */
    static String acl(String city) {
        return """
                # MQTT rights of the local platform (Mosquitto acl_file format; generated once,
                # edit freely). See deploy/mosquitto/acl for the rules.

                # Devices: user name = sensor id; publish only to their own topic.
                pattern write city/+/+/%%u

                # The ingest bridges: read every reading (shared subscription $share/ingest/...),
                # and send themselves heartbeats through it (a broker that stops delivering is
                # noticed and left).
                user %s
                topic read city/#
                %s

                # The simulator: a gateway publishing for every sensor of the city.
                user %s
                topic write city/%s/#
                """
                .formatted(BRIDGE_USER, BRIDGE_HEARTBEAT_RULE, SIMULATOR_USER, city);
    }

    /**
     * Adds the bridges' heartbeat rule to an ACL file written before it existed, as a block of its
     * own at the end (a second {@code user} block adds to the first, in Mosquitto too), and leaves
     * a file that has it, or that the operator has changed for the bridge user, as it is.
     */
    private static void addHeartbeatRule(Path aclFile) throws IOException {
        String text = Files.readString(aclFile, StandardCharsets.UTF_8);
        if (text.contains(BRIDGE_HEARTBEAT_FILTER)) {
            return;
        }
        writeOwnerOnly(
                aclFile,
                text
                        + (text.endsWith("\n") ? "" : "\n")
                        + "\n# Added by a newer platform: the bridges' heartbeats.\nuser "
                        + BRIDGE_USER
                        + "\n"
                        + BRIDGE_HEARTBEAT_RULE
                        + "\n");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Replaces {@code file} atomically with {@code text}, the new file being owner-only from its
     * creation on (never a moment world-readable).
     */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions)
            throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default ACLs apply.
        }
    }
}
