package io.github.camelwecom.groupmsg.tools;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Duration defaults: read as Camel reads them, written as the shortest exact {@code Duration} factory call. */
final class Durations {

    /** Camel's own duration text: {@code 1h30m}, {@code 30s}, {@code 500ms}; a plain number is milliseconds. */
    private static final Pattern CAMEL_DURATION = Pattern
            .compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?", Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /** {@code Duration.ofDays(30)} and the like, in the largest unit that is exact. */
    static String initializer(String durationClass, Duration d) {
        long millis = d.toMillis();
        String[] factories = { "ofDays", "ofHours", "ofMinutes", "ofSeconds" };
        long[] unitMillis = { 86_400_000L, 3_600_000L, 60_000L, 1_000L };
        for (int i = 0; i < factories.length; i++) {
            if (millis != 0 && millis % unitMillis[i] == 0) {
                return durationClass + "." + factories[i] + "(" + millis / unitMillis[i] + ")";
            }
        }
        return durationClass + ".ofMillis(" + millis + ")";
    }

    /** A duration option's default as Camel reads it: ISO-8601 ({@code PT10M}, {@code P30D}) or {@code 1h30m}. */
    static Duration parse(String option, String text) {
        String t = text.trim();
        if (t.regionMatches(true, 0, "P", 0, 1) || t.regionMatches(true, 0, "-P", 0, 2)) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("option " + option + ": default " + text + " is not a duration", e);
            }
        }
        if (t.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(t));
        }
        Matcher m = CAMEL_DURATION.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("option " + option + ": default " + text + " is not a duration");
        }
        long[] unitMillis = { 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L };
        long millis = 0;
        for (int i = 0; i < unitMillis.length; i++) {
            if (m.group(i + 1) != null) {
                millis += Long.parseLong(m.group(i + 1)) * unitMillis[i];
            }
        }
        return Duration.ofMillis(millis);
    }
}
