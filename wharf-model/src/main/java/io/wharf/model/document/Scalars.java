package io.wharf.model.document;

import io.wharf.model.WireValue;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.quantity.Durations;
import io.wharf.model.validation.Suggestions;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed conversion of one tree node. Each method returns null and records a problem at
 * {@code path} when the node does not convert; a null (absent) node is the caller's business.
 * YAML 1.1 never sneaks in: {@code yes} is not a boolean and {@code 0777} is not octal here.
 */
public final class Scalars {
    private Scalars() {}

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    public static String text(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s) return s.text();
        problems.add(path, "must be a string, got " + t.describe());
        return null;
    }

    /** An integer in [min, max]; decimal only (leading zeros are decimal, as in YAML 1.2). */
    public static Integer integer(Tree t, String path, Problems problems, long min, long max) {
        if (!(t instanceof Tree.Scalar s) || s.style() == Tree.Style.BOOLEAN || !INTEGER.matcher(s.text().trim()).matches()) {
            problems.add(path, "must be an integer, got " + t.describe());
            return null;
        }
        BigInteger v = new BigInteger(s.text().trim());
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            problems.add(path, "must be >= " + min);
            return null;
        }
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(path, "must be <= " + max);
            return null;
        }
        return v.intValue();
    }

    public static Double decimal(Tree t, String path, Problems problems, double min) {
        if (!(t instanceof Tree.Scalar s) || s.style() == Tree.Style.BOOLEAN || !DECIMAL.matcher(s.text().trim()).matches()) {
            problems.add(path, "must be a number, got " + t.describe());
            return null;
        }
        double v = Double.parseDouble(s.text().trim());
        if (v < min) {
            problems.add(path, "must be >= " + (min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min)));
            return null;
        }
        return v;
    }

    /** Only true and false (any case). yes/no/on/off are rejected rather than guessed. */
    public static Boolean bool(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s) {
            String v = s.text().trim().toLowerCase(Locale.ROOT);
            if (v.equals("true")) return true;
            if (v.equals("false")) return false;
        }
        problems.add(path, "must be true or false, got " + t.describe());
        return null;
    }

    public static Duration duration(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN) {
            String v = s.text().trim();
            var d = Durations.parse(v);
            if (d.isPresent()) return d.get();
            if (v.startsWith("-")) {
                problems.add(path, "must not be negative, got \"" + v + "\"");
                return null;
            }
        }
        problems.add(path, "must be a duration like \"10s\" or \"1m30s\", got " + t.describe());
        return null;
    }

    public static ByteSize size(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN) {
            var b = ByteSize.parse(s.text());
            if (b.isPresent()) return b.get();
        }
        problems.add(path, "must be a size like \"256Mi\", \"1Gi\", \"512M\" or a number of bytes, got " + t.describe());
        return null;
    }

    public static Cpu cpu(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN) {
            var c = Cpu.parse(s.text());
            if (c.isPresent()) return c.get();
        }
        problems.add(path, "must be CPU cores like \"0.5\" or \"2\", or millicores like \"500m\", got " + t.describe());
        return null;
    }

    /** An enum constant by its wire name, case-insensitively. */
    public static <E extends Enum<E> & WireValue> E choice(Tree t, Class<E> type, String path, Problems problems) {
        E[] all = type.getEnumConstants();
        if (t instanceof Tree.Scalar s) {
            for (E e : all) if (e.wire().equalsIgnoreCase(s.text().trim())) return e;
        }
        List<String> wires = Arrays.stream(all).map(WireValue::wire).toList();
        String hint = t instanceof Tree.Scalar s ? Suggestions.didYouMean(s.text().trim(), wires) : "";
        problems.add(path, "must be one of " + String.join("|", wires) + ", got " + t.describe() + hint);
        return null;
    }

    /** A list of strings; a single string is split into words (shell-like quotes respected). */
    public static List<String> words(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s) return splitWords(s.text());
        return strings(t, path, problems);
    }

    /** A list of scalars as text; each bad item is reported at its index. */
    public static List<String> strings(Tree t, String path, Problems problems) {
        if (!(t instanceof Tree.Sequence seq)) {
            problems.add(path, "must be a list, got " + t.describe());
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            String v = text(seq.items().get(i), Paths.index(path, i), problems);
            if (v != null) out.add(v);
        }
        return out;
    }

    /** Splits like a POSIX shell would on blanks, honouring single and double quotes (no expansion). */
    public static List<String> splitWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(cur.toString());
        return words;
    }
}
