package io.wharf.agent.ambassador;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables naming one dependency's ambassador: for dependency {@code user-db} with ports
 * {@code [postgres, metrics]} on local ports 41001 and 41002,
 * {@code USER_DB_HOST=127.0.0.1}, {@code USER_DB_PORT=41001} (the first port),
 * {@code USER_DB_URL=tcp://127.0.0.1:41001} ({@code http://} when the first port is named
 * {@code http}, {@code https://} for {@code https}, {@code grpc} gives {@code http://} too),
 * and {@code USER_DB_PORT_POSTGRES}, {@code USER_DB_PORT_METRICS} for every port. Pure.
 */
public final class DependencyEnv {
    private DependencyEnv() {}

    public static final String LOOPBACK = "127.0.0.1";

    /** {@code user-db} → {@code USER_DB}. */
    public static String prefix(String dependency) {
        return dependency.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * @param ports the dependency's port names in declared order, each with its local port
     */
    public static Map<String, String> variables(String dependency, List<Map.Entry<String, Integer>> ports) {
        Map<String, String> env = new LinkedHashMap<>();
        if (ports.isEmpty()) return env;
        String p = prefix(dependency);
        Map.Entry<String, Integer> first = ports.getFirst();
        env.put(p + "_HOST", LOOPBACK);
        env.put(p + "_PORT", Integer.toString(first.getValue()));
        env.put(p + "_URL", scheme(first.getKey()) + "://" + LOOPBACK + ":" + first.getValue());
        for (Map.Entry<String, Integer> e : ports) {
            env.put(p + "_PORT_" + prefix(e.getKey()), Integer.toString(e.getValue()));
        }
        return env;
    }

    static String scheme(String portName) {
        return switch (portName) {
            case "http", "web", "grpc", "h2c" -> "http";
            case "https" -> "https";
            default -> portName.startsWith("http") ? "http" : "tcp";
        };
    }
}
