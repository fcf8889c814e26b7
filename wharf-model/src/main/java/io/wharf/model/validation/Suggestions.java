package io.wharf.model.validation;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" by edit distance (Levenshtein, case-insensitive). */
public final class Suggestions {
    private Suggestions() {}

    /**
     * The closest candidate within a distance of max(2, a third of the longer word), if any;
     * ties go to the first.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String in = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int limit = Math.max(2, Math.max(in.length(), c.length()) / 3);
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean \"x\"?)"} or the empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
