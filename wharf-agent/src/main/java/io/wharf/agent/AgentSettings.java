package io.wharf.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one agent runs: the server's API address, the node's name and address (where its
 * instances are reached), where local state lives ({@code dataDir}: logs, task state, handles),
 * where its own HTTP endpoint listens ({@code bindHost}:{@code port}, 0 = a free port), the
 * node's labels, the heartbeat interval, the docker socket to try, and whether
 * {@link NodeAgent#close()} stops the workloads (dev mode) or leaves them for the next agent, and
 * how many task starts may run at once on the node ({@code startParallelism}; 0 = system property
 * {@value #START_PARALLELISM_PROPERTY}, else {@value io.wharf.agent.driver.BoundedStarts#DEFAULT_PARALLELISM};
 * see {@link io.wharf.agent.driver.BoundedStarts}), and the bearer token it calls the API with ({@code token}; null:
 * none).
 */
public record AgentSettings(URI server, String nodeName, String address, Path dataDir, String bindHost, int port,
                            Map<String, String> labels, Duration heartbeat, String dockerHost,
                            boolean stopWorkloadsOnClose, int startParallelism, String token) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    /** System property giving the start parallelism when the settings leave it 0 (no CLI flag yet). */
    public static final String START_PARALLELISM_PROPERTY = "wharf.agent.startParallelism";

    public AgentSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(dataDir, "dataDir");
        if (!nodeName.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || nodeName.length() > 63) {
            throw new IllegalArgumentException("node name must be lowercase letters, digits and '-' (at most 63), got \""
                    + nodeName + "\"");
        }
        if (address == null || address.isBlank()) address = "127.0.0.1";
        if (bindHost == null || bindHost.isBlank()) bindHost = "127.0.0.1";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be within 0..65535, got " + port);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        if (heartbeat == null) heartbeat = DEFAULT_HEARTBEAT;
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
        if (dockerHost == null || dockerHost.isBlank()) dockerHost = DEFAULT_DOCKER_HOST;
        if (startParallelism == 0) {
            startParallelism = Integer.getInteger(START_PARALLELISM_PROPERTY, io.wharf.agent.driver.BoundedStarts.DEFAULT_PARALLELISM);
        }
        if (startParallelism < 1) throw new IllegalArgumentException("start parallelism must be at least 1, got " + startParallelism);
    }

    /** Settings without a token. */
    public AgentSettings(URI server, String nodeName, String address, Path dataDir, String bindHost, int port,
                         Map<String, String> labels, Duration heartbeat, String dockerHost,
                         boolean stopWorkloadsOnClose, int startParallelism) {
        this(server, nodeName, address, dataDir, bindHost, port, labels, heartbeat, dockerHost, stopWorkloadsOnClose,
                startParallelism, null);
    }

    /** Settings with the default start parallelism and no token. */
    public AgentSettings(URI server, String nodeName, String address, Path dataDir, String bindHost, int port,
                         Map<String, String> labels, Duration heartbeat, String dockerHost, boolean stopWorkloadsOnClose) {
        this(server, nodeName, address, dataDir, bindHost, port, labels, heartbeat, dockerHost, stopWorkloadsOnClose, 0);
    }

    /** The same, calling the API with {@code t} as its bearer token (a node token; null: none). */
    public AgentSettings withToken(String t) {
        return new AgentSettings(server, nodeName, address, dataDir, bindHost, port, labels, heartbeat, dockerHost,
                stopWorkloadsOnClose, startParallelism, t);
    }

    @Override
    public String toString() {
        return "AgentSettings[server=" + server + ", nodeName=" + nodeName + ", dataDir=" + dataDir + ", token="
                + (token == null ? "none" : "(set)") + "]";
    }

    /** Defaults for everything but the server, the name and the data directory. */
    public static AgentSettings of(URI server, String nodeName, Path dataDir) {
        return new AgentSettings(server, nodeName, null, dataDir, null, 0, Map.of(), null, null, false);
    }

    public AgentSettings stoppingWorkloadsOnClose() {
        return new AgentSettings(server, nodeName, address, dataDir, bindHost, port, labels, heartbeat, dockerHost, true,
                startParallelism, token);
    }

    public AgentSettings withLabels(Map<String, String> l) {
        return new AgentSettings(server, nodeName, address, dataDir, bindHost, port, l, heartbeat, dockerHost,
                stopWorkloadsOnClose, startParallelism, token);
    }

    /** At most {@code n} task starts at once on this node. */
    public AgentSettings withStartParallelism(int n) {
        return new AgentSettings(server, nodeName, address, dataDir, bindHost, port, labels, heartbeat, dockerHost,
                stopWorkloadsOnClose, n, token);
    }

    /** The host name, made a valid node name; {@code node} when there is none. */
    public static String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        String name = host.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 63) name = name.substring(0, 63).replaceAll("-+$", "");
        return name.isEmpty() ? "node" : name;
    }
}
