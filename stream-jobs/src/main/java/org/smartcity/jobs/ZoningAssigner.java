package org.smartcity.jobs;

import java.util.List;
import java.util.Objects;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/** {@link ZoneAssigner} backed by core's {@link Zoning}, built from its spec on the task. */
final class ZoningAssigner implements ZoneAssigner {
    private static final long serialVersionUID = 1L;

    private final ZoningSpec spec;
    private transient Zoning zoning;

    ZoningAssigner(ZoningSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public void open() {
        if (zoning == null) {
            zoning = Zoning.create(spec);
        }
    }

    @Override
    public List<Zone> zonesOf(Reading reading) {
        if (zoning == null) {
            open();
        }
        return zoning.zonesOf(reading.lat(), reading.lon());
    }

    @Override
    public String toString() {
        return "ZoningAssigner[" + spec + "]";
    }
}
