package io.wharf.model.quantity;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of stack files and JSON: one or more {@code <integer><unit>} parts with
 * units {@code d h m s ms} in decreasing order ({@code 500ms}, {@code 10s}, {@code 1m30s},
 * {@code 2h}, {@code 1d12h}), or a bare {@code 0}. Negative values and bare numbers other than
 * 0 are rejected. {@link #format} writes the canonical form (largest unit first, days as hours).
 */
public final class Durations {
    private Durations() {}

    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|d|h|m|s)");
    private static final String[] ORDER = {"d", "h", "m", "s", "ms"};

    /** The parsed duration, or empty when {@code text} is not a valid duration. */
    public static Optional<Duration> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        if (t.equals("0")) return Optional.of(Duration.ZERO);
        if (t.isEmpty()) return Optional.empty();
        Matcher m = PART.matcher(t);
        int pos = 0;
        int lastUnit = -1;
        Duration total = Duration.ZERO;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) return Optional.empty();
            int unit = indexOf(m.group(2));
            if (unit <= lastUnit) return Optional.empty();
            lastUnit = unit;
            long n = Long.parseLong(m.group(1));
            try {
                total = total.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
            pos = m.end();
        }
        return Optional.of(total);
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < ORDER.length; i++) if (ORDER[i].equals(unit)) return i;
        throw new IllegalArgumentException(unit);
    }

    /** Canonical text: {@code 0s}, {@code 500ms}, {@code 1m30s}, {@code 26h}, {@code 1s250ms}. */
    public static String format(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("negative duration " + d);
        if (d.isZero()) return "0s";
        long ms = d.toMillis();
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000; ms %= 3_600_000;
        long m = ms / 60_000; ms %= 60_000;
        long s = ms / 1000; ms %= 1000;
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (s > 0) b.append(s).append('s');
        if (ms > 0) b.append(ms).append("ms");
        return b.toString();
    }
}
