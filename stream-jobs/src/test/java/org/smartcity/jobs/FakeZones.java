package org.smartcity.jobs;

import java.util.ArrayList;
import java.util.List;
import org.smartcity.core.Reading;
import org.smartcity.core.zoning.Zone;

/**
 * Hand-made zones whose answers are obvious from the coordinates: a "cell" per 0.01° square (named
 * {@code latx100_lonx100}), district {@code west} or {@code east} of 102.70°E for places south of
 * 25.10°N and no district north of it, and the reading's city.
 */
final class FakeZones implements ZoneAssigner {
    private static final long serialVersionUID = 1L;

    @Override
    public List<Zone> zonesOf(Reading r) {
        List<Zone> zones = new ArrayList<>(3);
        zones.add(
                Zone.h3((long) Math.floor(r.lat() * 100) + "_" + (long) Math.floor(r.lon() * 100)));
        if (r.lat() < 25.10) {
            zones.add(
                    r.lon() < 102.70
                            ? Zone.district("west", "West")
                            : Zone.district("east", "East"));
        }
        zones.add(Zone.city(r.city(), r.city()));
        return zones;
    }
}
