package org.smartcity.core.indicators;

import java.time.ZoneId;
import java.util.Objects;
import org.smartcity.core.Metric;
import org.smartcity.core.zoning.ZoneKind;

/**
 * One indicator value: one indicator, metric, zone and local period (DESIGN, "Indicators"). A zone
 * without data has a row too, with {@code value} null and {@code valid} false: a gap to show, not a
 * clean zone.
 *
 * @param indicator e.g. {@value Sdg1162#ID}
 * @param metric pm25 or pm10
 * @param zoneKind district or city
 * @param zoneId the district code or the city id
 * @param zoneName a human-readable name
 * @param period the local day, month or year
 * @param timeZone the city's time zone, where the period starts and ends
 * @param value the mean, in the metric's unit; null without any valid part
 * @param valid whether enough of the period has data ({@code observed >= required}; for the city:
 *     at least one district has a valid value)
 * @param complete whether the period has ended
 * @param standard the data-validity standard applied
 * @param observed valid parts: hours of a day, days of a month or year; for the city, districts
 *     with a valid value
 * @param required parts needed for a valid value; for the city, its districts
 * @param sensors the most sensors that reported in one valid hour of the period (summed over the
 *     districts with a valid value for the city)
 * @param population the zone's inhabitants, null when the districts file gives none; for the city,
 *     the sum over the districts that give one
 * @param populationWithData inhabitants of the districts with a valid value
 * @param populationShareWithData {@code populationWithData / population}; null without population
 * @param populationAboveWho inhabitants of districts whose valid value exceeds the WHO guideline
 * @param populationAboveNational the same for the national limit
 * @param provisional the period has not ended, or late readings may still correct it
 */
public record IndicatorRow(
        String indicator,
        Metric metric,
        ZoneKind zoneKind,
        String zoneId,
        String zoneName,
        Period period,
        ZoneId timeZone,
        Double value,
        boolean valid,
        boolean complete,
        IndicatorStandard standard,
        int observed,
        int required,
        long sensors,
        Long population,
        long populationWithData,
        Double populationShareWithData,
        long populationAboveWho,
        long populationAboveNational,
        boolean provisional) {

    public IndicatorRow {
        Objects.requireNonNull(indicator, "indicator");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(zoneKind, "zoneKind");
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(zoneName, "zoneName");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(standard, "standard");
    }

    /** The row's id: {@code {indicator}|{metric}|{zoneKind}|{zoneId}|{period}}. */
    public String id() {
        return String.join("|", indicator, metric.id(), zoneKind.id(), zoneId, period.label());
    }
}
