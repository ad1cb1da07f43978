package org.smartcity.brokers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttCredentialsTest {

    @TempDir Path dir;

    @Test
    void provisionsOwnerOnlyFilesOnceAndKeepsThemAcrossRestarts() throws IOException {
        Path auth = dir.resolve("mqtt-credentials");
        MqttCredentials first = MqttCredentials.provision(auth);

        assertThat(first.bridgeUser()).isEqualTo("smartcity-ingest");
        assertThat(first.simulatorUser()).isEqualTo("smartcity-simulator");
        assertThat(first.bridgePassword()).hasSize(32).isNotEqualTo(first.simulatorPassword());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth)))
                .isEqualTo("rwx------");
        try (var files = Files.list(auth)) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
        String passwd = Files.readString(first.passwordFile());
        assertThat(passwd).doesNotContain(first.bridgePassword(), first.simulatorPassword());
        MqttPasswordFile users = MqttPasswordFile.read(first.passwordFile());
        assertThat(users.verify("smartcity-ingest", utf8(first.bridgePassword()))).isTrue();
        assertThat(users.verify("smartcity-simulator", utf8(first.simulatorPassword()))).isTrue();
        assertThat(first.toString()).doesNotContain(first.bridgePassword());

        first.add("km-pm25-0042", "device-pw");
        MqttCredentials again = MqttCredentials.provision(auth);

        assertThat(again.bridgePassword()).isEqualTo(first.bridgePassword());
        assertThat(again.simulatorPassword()).isEqualTo(first.simulatorPassword());
        assertThat(Files.readString(again.passwordFile())).contains("km-pm25-0042:$7$");
        again.remove("km-pm25-0042");
        assertThat(MqttPasswordFile.read(again.passwordFile()).users())
                .containsExactly("smartcity-ingest", "smartcity-simulator");
    }

    @Test
    void aLostPasswordsFileGivesNewPasswordsThatWork() throws IOException {
        MqttCredentials first = MqttCredentials.provision(dir);
        Files.delete(dir.resolve("passwords.properties"));

        MqttCredentials second = MqttCredentials.provision(dir);

        assertThat(second.bridgePassword()).isNotEqualTo(first.bridgePassword());
        assertThat(
                        MqttPasswordFile.read(second.passwordFile())
                                .verify("smartcity-ingest", utf8(second.bridgePassword())))
                .isTrue();
    }

    @Test
    void theBridgeMayPublishItsHeartbeatsAndAnOlderAclFileGetsTheRuleOnce() throws IOException {
        MqttCredentials fresh = MqttCredentials.provision(dir.resolve("fresh"));
        String heartbeat = "city/_ingest/heartbeat/smartcity-ingest-local";
        assertThat(MqttAcl.read(fresh.aclFile()).mayPublish("smartcity-ingest", "x", heartbeat))
                .isTrue();
        assertThat(MqttAcl.read(fresh.aclFile()).mayPublish("km-pm25-1", "x", heartbeat)).isFalse();

        Path old = dir.resolve("old");
        Files.createDirectories(old);
        String before = "pattern write city/+/+/%u\nuser smartcity-ingest\ntopic read city/#\n";
        Files.writeString(old.resolve("acl"), before);
        MqttCredentials upgraded = MqttCredentials.provision(old);
        MqttCredentials.provision(old); // a second start adds nothing

        assertThat(Files.readString(upgraded.aclFile()))
                .isEqualTo(
                        before
                                + "\n# Added by a newer platform: the bridges' heartbeats.\n"
                                + "user smartcity-ingest\n"
                                + "topic write city/_ingest/heartbeat/#\n");
        MqttAcl acl = MqttAcl.read(upgraded.aclFile());
        assertThat(acl.mayPublish("smartcity-ingest", "x", heartbeat)).isTrue();
        assertThat(acl.maySubscribe("smartcity-ingest", "x", "$share/ingest/city/#")).isTrue();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
