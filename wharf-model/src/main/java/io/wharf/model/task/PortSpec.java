package io.wharf.model.task;

import java.util.Objects;

/**
 * A named port a task listens on. {@code port} 0 means dynamic: the scheduler picks one and
 * the task sees it as {@code WHARF_PORT_<NAME>}. {@code hostPort} (0 = same as port or dynamic)
 * and {@code host} (the IP to publish on; null = the node address) matter for docker bridge networking.
 */
public record PortSpec(String name, int port, Protocol protocol, String host, int hostPort) {
    public PortSpec {
        Objects.requireNonNull(name, "name");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (hostPort < 0 || hostPort > 65535) throw new IllegalArgumentException("hostPort out of range: " + hostPort);
        if (protocol == null) protocol = Protocol.TCP;
    }

    public static PortSpec tcp(String name, int port) { return new PortSpec(name, port, Protocol.TCP, null, 0); }
}
