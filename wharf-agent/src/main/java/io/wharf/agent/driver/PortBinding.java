package io.wharf.agent.driver;

import java.util.Objects;

/**
 * A named port of a task: the task listens on {@code taskPort}; drivers that isolate the network
 * (docker bridge) publish it as {@code hostIp:hostPort}. For host processes and host networking
 * the two are the same port.
 */
public record PortBinding(String name, int taskPort, String hostIp, int hostPort, boolean udp) {
    public PortBinding {
        Objects.requireNonNull(name, "name");
        if (taskPort < 1 || taskPort > 65535) throw new IllegalArgumentException("port out of range: " + taskPort);
        if (hostPort == 0) hostPort = taskPort;
        if (hostPort < 1 || hostPort > 65535) throw new IllegalArgumentException("host port out of range: " + hostPort);
        if (hostIp == null || hostIp.isBlank()) hostIp = "127.0.0.1";
    }

    public static PortBinding tcp(String name, String hostIp, int port) {
        return new PortBinding(name, port, hostIp, port, false);
    }
}
