package org.smartcity.deploy;

import java.nio.file.Path;
import org.smartcity.core.http.HttpService;

/** The local platform as the fault tests run it. */
final class TestPlatforms {
    private TestPlatforms() {}

    /**
     * A platform on free ports, listening on loopback, with no simulator (the tests publish their
     * own readings) and the embedded broker's users in force.
     */
    static PlatformConfig quiet(Path dataDir) {
        return new PlatformConfig(
                0,
                0,
                0,
                0,
                HttpService.LOOPBACK,
                dataDir,
                0,
                1,
                null,
                false,
                null,
                LocalFlinkJob.DEFAULT_CHANGELOG);
    }
}
