package org.smartcity.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page's ES modules under test in Node ({@code node --test src/test/js/}): what the browser
 * test cannot provoke on purpose, such as stream events that cross a snapshot. Node's own test
 * runner, no npm. Skipped where {@code node} is not on the {@code PATH}.
 */
class PageModulesTest {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

    @Test
    void pageModulesPassTheirNodeTests() throws IOException, InterruptedException {
        Optional<Path> node = onPath("node");
        assumeTrue(node.isPresent(), "node is not on the PATH: the page's module tests skipped");
        Process p =
                new ProcessBuilder(node.get().toString(), "--test", "src/test/js/")
                        .directory(BASEDIR.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node --test finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // node --test passes an empty directory too: make sure the tests ran.
        assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
