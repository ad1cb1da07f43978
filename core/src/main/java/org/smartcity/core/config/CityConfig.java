package org.smartcity.core.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;
import org.smartcity.core.BoundingBox;
import org.smartcity.core.CityArea;

/**
 * The city a deployment serves: the typed value of {@link CityOptions}, validated when made.
 *
 * @param id the city id: the {@code {city}} segment of the MQTT topics and the city zone's id
 * @param bbox the area readings must lie in
 * @param timeZone the city's local time, for local days and calendar periods
 */
public record CityConfig(String id, BoundingBox bbox, ZoneId timeZone) {

    /** What cannot be part of one MQTT topic segment: the separator and the wildcards. */
    private static final Pattern NOT_A_TOPIC_SEGMENT = Pattern.compile(".*[/+#].*");

    public CityConfig {
        checkId(id);
        Objects.requireNonNull(bbox, "bbox");
        Objects.requireNonNull(timeZone, "timeZone");
    }

    /** The city's area, for the checks that take one. */
    public CityArea area() {
        return CityArea.of(id, bbox);
    }

    /**
     * Checks a city id.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static String checkId(String id) {
        if (id == null || id.isBlank() || NOT_A_TOPIC_SEGMENT.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "expected a city id, one segment of an MQTT topic: not empty, without /, + or"
                            + " #");
        }
        return id;
    }

    /**
     * Reads a time zone id.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    static ZoneId parseTimeZone(String id) {
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expected a time zone such as Asia/Shanghai");
        }
    }
}
