package io.wharf.model.quantity;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CPU in millicores (1000 = one core). Text form: {@code 500m}, or cores as a number with at
 * most three decimals ({@code 0.5}, {@code 2}). Canonical form: whole cores as {@code 2},
 * anything else as millicores {@code 1500m}.
 */
public record Cpu(long millicores) implements Comparable<Cpu> {
    private static final Pattern MILLIS = Pattern.compile("\\d{1,12}m");
    private static final Pattern CORES = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?");

    public Cpu {
        if (millicores < 0) throw new IllegalArgumentException("negative cpu " + millicores);
    }

    public static Cpu cores(long n) { return new Cpu(n * 1000); }

    public static Optional<Cpu> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        if (MILLIS.matcher(t).matches()) return Optional.of(new Cpu(Long.parseLong(t.substring(0, t.length() - 1))));
        if (CORES.matcher(t).matches()) {
            return Optional.of(new Cpu(new BigDecimal(t).movePointRight(3).longValueExact()));
        }
        return Optional.empty();
    }

    @Override public String toString() {
        return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
    }

    @Override public int compareTo(Cpu o) { return Long.compare(millicores, o.millicores); }
}
