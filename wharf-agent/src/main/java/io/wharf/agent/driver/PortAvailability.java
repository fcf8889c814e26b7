package io.wharf.agent.driver;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before a start, that a task's host ports can be bound, so "port already taken" is a
 * clear configuration error rather than a task that crashes in a loop.
 */
public final class PortAvailability {
    private PortAvailability() {}

    /** Why the first unavailable port cannot be used, or empty when all are free. */
    public static Optional<String> firstTaken(List<PortBinding> ports) {
        for (PortBinding p : ports) {
            try {
                InetAddress ip = InetAddress.getByName(p.hostIp());
                if (p.udp()) {
                    try (var s = new DatagramSocket(new InetSocketAddress(ip, p.hostPort()))) { /* free */ }
                } else {
                    try (var s = new ServerSocket()) {
                        s.setReuseAddress(true);
                        s.bind(new InetSocketAddress(ip, p.hostPort()));
                    }
                }
            } catch (IOException e) {
                return Optional.of("port " + p.name() + " (" + p.hostIp() + ":" + p.hostPort() + (p.udp() ? "/udp" : "")
                        + ") is already in use");
            }
        }
        return Optional.empty();
    }
}
