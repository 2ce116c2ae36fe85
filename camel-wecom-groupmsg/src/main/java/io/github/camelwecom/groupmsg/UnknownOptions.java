package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.ResolveEndpointFailedException;

/**
 * Says which URI options no property of the endpoint took, and for each the endpoint's options of the nearest names
 * (edit distance, ignoring case), in one line: Camel's own message puts the name at the end of the whole URI. Names
 * only, never a value, so a secret in the URI cannot reach it.
 */
final class UnknownOptions {

    /** At most this many names offered for one unknown option. */
    static final int MAX_SUGGESTIONS = 3;

    private UnknownOptions() {
    }

    /**
     * @param endpoint the endpoint without its options, such as {@code wecom-groupmsg:result}
     * @param unknown the options no property took
     * @param known the endpoint's option names (from the generated URI factory)
     */
    static ResolveEndpointFailedException failure(String endpoint, Collection<String> unknown,
            Collection<String> known) {
        return new UnknownOptionException(endpoint, message(endpoint, unknown, known));
    }

    static String message(String endpoint, Collection<String> unknown, Collection<String> known) {
        List<String> names = new ArrayList<>(new TreeSet<>(unknown));
        if (names.size() == 1) {
            return "Unknown option " + names.get(0) + " on " + endpoint + "; " + advice(names.get(0), known);
        }
        return "Unknown options on " + endpoint + ": " + names.stream()
                .map(name -> name + " (" + advice(name, known) + ")").collect(Collectors.joining(", "));
    }

    private static String advice(String name, Collection<String> known) {
        List<String> near = nearest(name, known);
        return near.isEmpty() ? "no option has a similar name" : "did you mean " + String.join(" or ", near) + "?";
    }

    /**
     * The known names closest to {@code name}: those at the smallest edit distance, if it is small for the name's
     * length, else those that contain it or that it contains (a part of a name, such as {@code secret}).
     */
    static List<String> nearest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        int best = Integer.MAX_VALUE;
        List<String> closest = new ArrayList<>();
        for (String candidate : new TreeSet<>(known)) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(candidate);
            }
        }
        if (best <= Math.max(2, name.length() / 3)) {
            return closest.subList(0, Math.min(MAX_SUGGESTIONS, closest.size()));
        }
        return lower.length() < 4 ? List.of() : known.stream()
                .filter(k -> k.toLowerCase(Locale.ROOT).contains(lower) || lower.contains(k.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
                .limit(MAX_SUGGESTIONS).toList();
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Camel's exception for an endpoint it cannot make, whose message is the line above alone: Camel wraps it in its
     * own, which repeats the (sanitized) URI, and a stack trace's last cause should read plainly.
     */
    static final class UnknownOptionException extends ResolveEndpointFailedException {
        private final String message;

        UnknownOptionException(String endpoint, String message) {
            super(endpoint, message);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
