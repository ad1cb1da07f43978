package org.smartcity.jobs.alerts;

import java.io.Serializable;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoneKind;
import org.smartcity.core.zoning.Zoning;
import org.smartcity.core.zoning.ZoningSpec;

/** The name people know a zone by, for alerts ({@code subject_name}): a district's name. */
public interface SubjectNames extends Serializable {
    /** The zone's name; its id when it has none (an H3 cell, an unknown district). */
    String nameOf(ZoneKind kind, String id);

    /** Names from the job's zoning, built once per task. */
    static SubjectNames of(ZoningSpec spec) {
        return new SubjectNames() {
            private static final long serialVersionUID = 1L;
            private transient Zoning zoning;

            @Override
            public String nameOf(ZoneKind kind, String id) {
                if (zoning == null) {
                    zoning = Zoning.create(spec);
                }
                return zoning.zone(kind, id).map(Zone::name).orElse(id);
            }
        };
    }

    /** Ids as names: for tests and zones without names. */
    static SubjectNames ids() {
        return (kind, id) -> id;
    }
}
