package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttPasswordFileTest {

    /**
     * Written by Debian's mosquitto_passwd 2.0.11: {@code mosquitto_passwd -b f dev1 'pässword'}.
     */
    private static final String MOSQUITTO_LINE =
            "dev1:$7$101$s/PR6UfWZBJw52kh$I26z4t1hOvlRediiNcN1ooJ2hri55QsrcWfNv3Ak66xk7/8Iw/vG4uscR"
                    + "llu1vwBT69yy8eZ8i1FdpOMQoKBJw==";

    @TempDir Path dir;

    @Test
    void verifiesAHashWrittenByMosquittoPasswd() throws IOException {
        MqttPasswordFile file = read("# comment\n\n" + MOSQUITTO_LINE + "\n");

        assertThat(file.users()).containsExactly("dev1");
        assertThat(file.verify("dev1", utf8("pässword"))).isTrue();
        assertThat(file.verify("dev1", utf8("password"))).isFalse();
        assertThat(file.verify("dev1", new byte[0])).isFalse();
        assertThat(file.verify("dev2", utf8("pässword"))).isFalse();
    }

    @Test
    void verifiesTheOlderSha512Format() throws IOException {
        // $6$: SHA-512(password || salt); salt "c2FsdA==" is "salt", computed with
        // printf 'secretsalt' | sha512sum | xxd -r -p | base64 -w0
        MqttPasswordFile file =
                read(
                        "old:$6$c2FsdA==$"
                                + "E491yrR9AdCoE7rbOPYS3EZgSuZpVE65AD9xko08s6floNesY/Zpe9zMVvLix4S2Fi"
                                + "QSJ99RIkNvhHomNO9uLw==\n");

        assertThat(file.verify("old", utf8("secret"))).isTrue();
        assertThat(file.verify("old", utf8("Secret"))).isFalse();
    }

    @Test
    void writesHashesThatItAndMosquittoPasswdAccept() throws Exception {
        MqttPasswordFile file = MqttPasswordFile.empty().withUser("km-pm25-0042", "pw-ä:1");
        Path written = dir.resolve("passwd");
        Files.writeString(written, file.text());

        MqttPasswordFile back = MqttPasswordFile.read(written);
        assertThat(back.verify("km-pm25-0042", utf8("pw-ä:1"))).isTrue();
        assertThat(back.verify("km-pm25-0042", utf8("pw-ä:2"))).isFalse();
        assertThat(Files.readString(written))
                .matches("km-pm25-0042:\\$7\\$1000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==\n");

        // mosquitto_passwd -U rewrites plain "user:password" lines only; a new user added to our
        // file with it must be verifiable here too.
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")),
                "mosquitto_passwd is not installed (apt-get install mosquitto): interop skipped");
        Process p =
                new ProcessBuilder(
                                "/usr/bin/mosquitto_passwd",
                                "-b",
                                written.toString(),
                                "dev2",
                                "sécret")
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        MqttPasswordFile both = MqttPasswordFile.read(written);
        assertThat(both.users()).containsExactly("km-pm25-0042", "dev2");
        assertThat(both.verify("km-pm25-0042", utf8("pw-ä:1"))).isTrue();
        assertThat(both.verify("dev2", utf8("sécret"))).isTrue();
    }

    @Test
    void refusesBadUserNamesAndNamesTheLineOfABadEntryWithoutItsContent() {
        assertThatThrownBy(() -> MqttPasswordFile.empty().withUser("a:b", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttPasswordFile.empty().withUser("city/#", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("ok:$7$1$AAAA$AAAA\nplain-password-line\n"))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("line 2: expected user:hash")
                .hasMessageNotContaining("plain-password-line");
    }

    @Test
    void damagedHashesLetNobodyIn() throws IOException {
        MqttPasswordFile file = read("a:$7$x$AAAA$AAAA\nb:$7$10$%%%$AAAA\nc:plain\nd:$5$a$b\n");

        for (String user : new String[] {"a", "b", "c", "d"}) {
            assertThat(file.verify(user, utf8("plain"))).as(user).isFalse();
        }
    }

    private MqttPasswordFile read(String text) throws IOException {
        Path file = dir.resolve("passwd-" + System.nanoTime());
        Files.writeString(file, text);
        return MqttPasswordFile.read(file);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
