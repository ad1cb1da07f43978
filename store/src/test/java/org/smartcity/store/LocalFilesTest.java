package org.smartcity.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {

    @TempDir Path dir;

    @Test
    void octalModesBecomeThePosixPermissionsChmodWouldSet() {
        assertThat(LocalFiles.posix(0644)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(LocalFiles.posix(0755)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(LocalFiles.posix(0)).isEmpty();
        assertThat(LocalFiles.posix(0777)).containsExactlyInAnyOrder(PosixFilePermission.values());
    }

    @Test
    void aFileSystemStoreUsesItForLocalPathsUnlessTheCallerConfiguredHadoop() {
        assertThat(LocalFiles.enabled()).as("opt-in for now").isFalse();
        Map<String, String> params = Map.of("fs.path", "/h", "fs.encoding", "parquet");
        assertThat(LocalFiles.params(params))
                .containsAllEntriesOf(params)
                .containsKey(LocalFiles.CONFIG_XML_PARAM);
        assertThat(LocalFiles.params(params).get(LocalFiles.CONFIG_XML_PARAM))
                .contains("<name>fs.file.impl</name><value>org.smartcity.store.LocalFiles</value>");
        Map<String, String> own = Map.of("fs.path", "/h", LocalFiles.CONFIG_XML_PARAM, "<x/>");
        assertThat(LocalFiles.params(own)).isEqualTo(own);
    }

    @Test
    void createsFilesAndDirectoriesWithHadoopsPermissionsAndChecksums() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(LocalFiles.FILE_IMPL, LocalFiles.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.get(dir.toUri(), conf)) {
            assertThat(fs).isInstanceOf(LocalFiles.class);
            org.apache.hadoop.fs.Path sub = new org.apache.hadoop.fs.Path(dir.toUri() + "/a/b");
            assertThat(fs.mkdirs(sub, new FsPermission((short) 0750))).isTrue();
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(sub, "f.parquet");
            try (FSDataOutputStream out = fs.create(file, true)) {
                out.writeUTF("rows");
            }
            fs.setPermission(file, new FsPermission((short) 0640));

            assertThat(Files.getPosixFilePermissions(dir.resolve("a/b")))
                    .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
            assertThat(Files.getPosixFilePermissions(dir.resolve("a/b/f.parquet")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
            assertThat(dir.resolve("a/b/.f.parquet.crc")).exists();
            assertThat(fs.open(file).readUTF()).isEqualTo("rows");
        }
    }
}
