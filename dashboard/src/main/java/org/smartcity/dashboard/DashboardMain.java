package org.smartcity.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.config.CommandLine;

/** Runs the dashboard until it is stopped (SIGTERM or Ctrl-C stop it cleanly). */
public final class DashboardMain {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardMain.class);

    private DashboardMain() {}

    public static void main(String[] args) {
        CommandLine.serve(
                "smartcity-dashboard [options]",
                "Serves the live city map, OGC API - Features over the aggregates and the"
                        + " sensors, /metrics and /health.",
                DashboardConfig.OPTIONS,
                args,
                LOG,
                "dashboard",
                "the dashboard",
                settings -> DashboardServer.start(DashboardConfig.from(settings))::close);
    }
}
