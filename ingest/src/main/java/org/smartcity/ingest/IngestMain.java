package org.smartcity.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartcity.core.config.CommandLine;

/** Runs one bridge instance until it is stopped (SIGTERM or Ctrl-C stop it cleanly). */
public final class IngestMain {
    private static final Logger LOG = LoggerFactory.getLogger(IngestMain.class);

    private IngestMain() {}

    public static void main(String[] args) {
        CommandLine.serve(
                "smartcity-ingest [options]",
                "Bridges sensor readings from MQTT (shared subscription"
                        + " $share/<group>/city/+/+/+) to Kafka, dead-lettering invalid"
                        + " ones with a reason.",
                IngestConfig.OPTIONS,
                args,
                LOG,
                "ingest",
                "the bridge",
                settings -> IngestService.start(IngestConfig.from(settings))::close);
    }
}
