package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads the time formats the URI options accept: epoch seconds, an ISO date (midnight in the zone), an ISO date-time
 * (with offset, or local in the zone), or a negative ISO duration counted back from now ({@code -P7D}).
 */
public final class TimeSpec {

    private TimeSpec() {
    }

    /** The forms after epoch seconds and durations, tried in turn. */
    private static final List<BiFunction<String, ZoneId, Long>> DATE_FORMS = List.of(
            (text, zone) -> LocalDate.parse(text).atStartOfDay(zone).toEpochSecond(),
            (text, zone) -> OffsetDateTime.parse(text).toEpochSecond(),
            (text, zone) -> ZonedDateTime.parse(text).toEpochSecond(),
            (text, zone) -> LocalDateTime.parse(text).atZone(zone).toEpochSecond());

    /** Epoch seconds of {@code value}; an {@link IllegalArgumentException} names what was not understood. */
    public static long parse(String value, ZoneId zone, Clock clock) {
        String text = value.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty time");
        }
        if (text.matches("\\d{1,12}")) {
            return Long.parseLong(text);
        }
        if (text.startsWith("-P") || text.startsWith("P") || text.startsWith("+P")) {
            return clock.instant().plus(negativeDuration(text)).getEpochSecond();
        }
        for (BiFunction<String, ZoneId, Long> form : DATE_FORMS) {
            try {
                return form.apply(text, zone);
            } catch (DateTimeParseException e) {
                // not this form: try the next
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not epoch seconds, an ISO date (2025-09-01), an ISO "
                + "date-time (2025-09-01T08:00:00+08:00) or a negative duration (-P7D)");
    }

    private static Duration negativeDuration(String text) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as -P7D or -PT6H");
        }
        if (!duration.isNegative()) {
            throw new IllegalArgumentException(
                    "duration '" + text + "' must be negative (a time before now), e.g. -P7D");
        }
        return duration;
    }

    /** For messages: epoch seconds as an ISO instant. */
    public static String format(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    /** For log lines: epoch seconds as an ISO date-time with the offset of {@code zone}. */
    public static String format(long epochSecond, ZoneId zone) {
        return Instant.ofEpochSecond(epochSecond).atZone(zone).toOffsetDateTime().toString();
    }
}
