package org.smartcity.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's deployment descriptors are, seen from a test's working directory. */
final class DeployFiles {
    private DeployFiles() {}

    /**
     * The repository's {@code deploy} directory: found upwards from the working directory (Maven
     * runs the tests in {@code deploy/local}; an IDE may run them from the repository root).
     */
    static Path deployDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path candidate : new Path[] {p, p.resolve("deploy")}) {
                if (Files.isRegularFile(candidate.resolve("mosquitto/mosquitto.conf"))
                        && Files.isRegularFile(candidate.resolve("local/pom.xml"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(
                "deploy/mosquitto and deploy/local not found above "
                        + Path.of("").toAbsolutePath());
    }

    /** The repository's root directory. */
    static Path repositoryRoot() {
        return deployDir().getParent();
    }
}
