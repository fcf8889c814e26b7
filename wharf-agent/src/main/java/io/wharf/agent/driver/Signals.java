package io.wharf.agent.driver;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers (Linux x86-64) for stop signals given in specs. */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("TERM", 15), Map.entry("WINCH", 28));

    private Signals() {}

    /** {@code SIGTERM}, {@code term} and {@code TERM} all become {@code TERM}; unknown names are rejected. */
    public static String normalize(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) n = n.substring(3);
        if (!NUMBERS.containsKey(n)) throw new IllegalArgumentException("unknown signal " + name + "; known: " + NUMBERS.keySet());
        return n;
    }

    public static int number(String name) {
        return NUMBERS.get(normalize(name));
    }
}
