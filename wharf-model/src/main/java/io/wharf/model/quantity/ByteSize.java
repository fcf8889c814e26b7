package io.wharf.model.quantity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes. Text form: a plain integer (bytes) or an integer with a suffix:
 * binary {@code Ki Mi Gi Ti} (powers of 1024) or decimal {@code K M G T} (powers of 1000;
 * {@code k} is accepted for K). The canonical form ({@link #toString()}) is the exact
 * form with the smallest number, binary on ties: {@code 256Mi}, {@code 512M}, {@code 1500}.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,18})(Ki|Mi|Gi|Ti|k|K|M|G|T)?");
    private static final String[] BINARY = {"Ti", "Gi", "Mi", "Ki"};
    private static final String[] DECIMAL = {"T", "G", "M", "K"};

    public ByteSize {
        if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
    }

    public static ByteSize ofMebibytes(long n) { return new ByteSize(Math.multiplyExact(n, 1L << 20)); }

    public static Optional<ByteSize> parse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long factor = switch (unit) {
            case "" -> 1L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        try {
            return Optional.of(new ByteSize(Math.multiplyExact(n, factor)));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    @Override public String toString() {
        if (bytes == 0) return "0";
        String best = Long.toString(bytes);
        long bestValue = bytes;
        for (int i = 0; i < BINARY.length; i++) {
            long f = 1L << (10 * (BINARY.length - i));
            if (bytes % f == 0 && bytes / f < bestValue) {
                bestValue = bytes / f;
                best = bestValue + BINARY[i];
                break;
            }
        }
        for (int i = 0; i < DECIMAL.length; i++) {
            long f = (long) Math.pow(1000, DECIMAL.length - i);
            if (bytes % f == 0 && bytes / f < bestValue) {
                bestValue = bytes / f;
                best = bestValue + DECIMAL[i];
                break;
            }
        }
        return best;
    }

    @Override public int compareTo(ByteSize o) { return Long.compare(bytes, o.bytes); }
}
