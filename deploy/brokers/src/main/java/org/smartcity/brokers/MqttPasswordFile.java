package org.smartcity.brokers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Mosquitto password file, as {@code mosquitto_passwd} writes it: one {@code user:hash} line per
 * user, so that one file serves both Mosquitto and the embedded broker. JDK only.
 *
 * <p>Hash formats read: {@code $7$iterations$salt$hash} (PBKDF2-HMAC-SHA512, Mosquitto 2.0's
 * default) and {@code $6$salt$hash} (SHA-512 of password then salt, Mosquitto 1.x); salt and hash
 * are standard Base64. Written: {@code $7$} with {@link #ITERATIONS} iterations, a 12-byte random
 * salt and a 64-byte hash, as {@code mosquitto_passwd} does. Blank lines and lines starting with
 * {@code #} are ignored. Immutable; {@link #withUser} returns a changed copy.
 */
final class MqttPasswordFile {

    /** PBKDF2 iterations of the hashes written here (mosquitto_passwd 2.0 uses 101). */
    static final int ITERATIONS = 1000;

    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * User names written by {@link #withUser}: those of sensor ids, so that a device's user name
     * can be its topic's last level. Read, any name without {@code :} is accepted.
     */
    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, String> hashes;

    private MqttPasswordFile(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    /** An empty file. */
    static MqttPasswordFile empty() {
        return new MqttPasswordFile(new LinkedHashMap<>());
    }

    /** Reads {@code file}; a line without {@code :} is an error naming its number. */
    static MqttPasswordFile read(Path file) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                // Never echo the line: it may hold a plain password not yet hashed.
                throw new IOException(file + ", line " + number + ": expected user:hash");
            }
            hashes.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
        }
        return new MqttPasswordFile(hashes);
    }

    /** The users, in file order. */
    Set<String> users() {
        return hashes.keySet();
    }

    /** Whether {@code password} is {@code user}'s; false for an unknown user or hash format. */
    boolean verify(String user, byte[] password) {
        String hash = hashes.get(user);
        if (hash == null || password.length == 0) {
            return false;
        }
        String[] parts = hash.split("\\$", -1);
        try {
            if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals("7")) {
                int iterations = Integer.parseInt(parts[2]);
                byte[] salt = Base64.getDecoder().decode(parts[3]);
                byte[] expected = Base64.getDecoder().decode(parts[4]);
                return iterations > 0
                        && MessageDigest.isEqual(
                                pbkdf2(password, salt, iterations, expected.length), expected);
            }
            if (parts.length == 4 && parts[0].isEmpty() && parts[1].equals("6")) {
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] expected = Base64.getDecoder().decode(parts[3]);
                MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
                sha512.update(password);
                sha512.update(salt);
                return MessageDigest.isEqual(sha512.digest(), expected);
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // A damaged hash: nobody logs in as this user.
        }
        return false;
    }

    /** A copy where {@code user} has {@code password} (hashed), added or replaced. */
    MqttPasswordFile withUser(String user, String password) {
        if (!USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException(
                    "User name must match " + USER_NAME.pattern() + ": " + user);
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("Empty password for user " + user);
        }
        Map<String, String> copy = new LinkedHashMap<>(hashes);
        copy.put(user, hash(password.getBytes(StandardCharsets.UTF_8)));
        return new MqttPasswordFile(copy);
    }

    /** A copy without {@code user}. */
    MqttPasswordFile withoutUser(String user) {
        Map<String, String> copy = new LinkedHashMap<>(hashes);
        copy.remove(user);
        return new MqttPasswordFile(copy);
    }

    /** The file's text: one {@code user:hash} line per user. */
    String text() {
        StringBuilder out = new StringBuilder();
        hashes.forEach((user, hash) -> out.append(user).append(':').append(hash).append('\n'));
        return out.toString();
    }

    private static String hash(byte[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        try {
            return "$7$"
                    + ITERATIONS
                    + "$"
                    + b64.encodeToString(salt)
                    + "$"
                    + b64.encodeToString(pbkdf2(password, salt, ITERATIONS, HASH_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is missing from this JDK", e);
        }
    }

    /**
     * PBKDF2 (RFC 8018) with HMAC-SHA512 over the password's bytes as given (not empty: the JDK
     * refuses an empty HMAC key). Written out rather than through {@code PBKDF2WithHmacSHA512},
     * whose {@code char[]} key would re-encode the password: Mosquitto hashes the raw bytes the
     * client sends.
     */
    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(password, "HmacSHA512"));
        int blockLength = mac.getMacLength();
        byte[] out = new byte[length];
        for (int block = 1, offset = 0; offset < length; block++, offset += blockLength) {
            mac.update(salt);
            mac.update(
                    new byte[] {
                        (byte) (block >>> 24),
                        (byte) (block >>> 16),
                        (byte) (block >>> 8),
                        (byte) block
                    });
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, out, offset, Math.min(blockLength, length - offset));
        }
        return out;
    }
}
