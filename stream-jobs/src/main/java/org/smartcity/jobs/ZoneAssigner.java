package org.smartcity.jobs;

import java.io.Serializable;
import java.util.List;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zone;
import org.smartcity.core.zoning.ZoningSpec;

/**
 * Which zones a reading counts in. Shipped to the task managers with the job, so it is
 * serializable; anything heavy (the H3 native library, district indexes) is built in {@link
 * #open()} on the task, not in the client.
 *
 * <p>The job uses {@link #of(ZoningSpec)}; tests pass a lambda with hand-made zones.
 */
@FunctionalInterface
public interface ZoneAssigner extends Serializable {

    /** Prepares what {@link #zonesOf} needs; called once per task before the first reading. */
    default void open() {}

    /**
     * The zones of a reading, each counted once: its H3 cell, its district if any, the city.
     *
     * @throws IllegalArgumentException if the reading has no valid location
     */
    List<Zone> zonesOf(Reading reading);

    /** The city's zoning: H3 cells, districts and the whole city, built from {@code spec}. */
    static ZoneAssigner of(ZoningSpec spec) {
        return new ZoningAssigner(spec);
    }
}
