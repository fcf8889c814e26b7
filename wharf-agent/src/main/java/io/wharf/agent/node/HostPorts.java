package io.wharf.agent.node;

import io.wharf.agent.driver.PortAvailability;
import io.wharf.agent.driver.PortBinding;
import io.wharf.model.cluster.DynamicPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's fingerprint of its dynamic host ports ({@link DynamicPorts}): which of them something
 * other than this agent's instances holds, reported in the Node's {@code status.portsInUse} so the
 * scheduler does not hand them out here (as a Nomad client fingerprints its network and refuses
 * allocations whose ports are taken).
 *
 * <p>Two sources: the kernel's socket tables ({@code /proc/net/tcp}, {@code tcp6} listening or
 * bound sockets, {@code udp}, {@code udp6} bound sockets), read at each heartbeat; and ports an
 * instance's start found taken ({@link #taken}), kept until a probe finds them free again, so a
 * port the tables do not show (another network namespace's proxy, a race) is still reported.
 * Only sockets that would clash with the node's {@code address} count (bound to it or to the
 * wildcard address), so agents of several nodes on one machine, each on its own loopback address,
 * do not report each other's instances. Ports assigned to the instances this agent runs are left
 * out: the scheduler knows those.
 *
 * <p>Thread safety: {@link #inUse()} runs on the liveness thread, {@link #taken} on any thread;
 * the remembered ports are a concurrent set, the publisher a volatile reference.
 */
public final class HostPorts {
    private static final Logger log = LoggerFactory.getLogger(HostPorts.class);
    private static final Path PROC_NET = Path.of("/proc/net");

    private final Path procNet;
    private final Set<String> clashing;
    private final Supplier<Set<Integer>> own;
    private final Set<PortBinding> found = ConcurrentHashMap.newKeySet();
    private volatile Runnable publisher = () -> {};

    /**
     * @param address the node's address (where its instances' ports are bound)
     * @param own the host ports assigned to the instances this agent runs or is about to run
     */
    HostPorts(String address, Supplier<Set<Integer>> own) {
        this(PROC_NET, address, own);
    }

    HostPorts(Path procNet, String address, Supplier<Set<Integer>> own) {
        this.procNet = procNet;
        this.clashing = clashing(address);
        this.own = own;
    }

    /**
     * The local addresses, as {@code /proc/net} writes them, of sockets that clash with ports bound
     * on {@code address}: the IPv4 and IPv6 wildcards, the address itself and its IPv4-mapped IPv6
     * form. Empty (everything clashes) when the address is not a literal IPv4 address.
     */
    static Set<String> clashing(String address) {
        String[] parts = address == null ? new String[0] : address.split("\\.");
        if (parts.length != 4 || !address.matches("[0-9.]+")) return Set.of();
        // /proc/net/tcp prints each 32-bit word of the address in host (little-endian) byte order.
        String v4 = String.format("%02X%02X%02X%02X", Integer.parseInt(parts[3]), Integer.parseInt(parts[2]),
                Integer.parseInt(parts[1]), Integer.parseInt(parts[0]));
        return Set.of("00000000", "00000000000000000000000000000000", v4, "0000000000000000FFFF0000" + v4);
    }

    /** The dynamic ports in use on the node by something else, ascending. */
    public List<Integer> inUse() {
        var out = new TreeSet<Integer>();
        for (String table : List.of("tcp", "tcp6")) out.addAll(bound(procNet.resolve(table), true, clashing));
        for (String table : List.of("udp", "udp6")) out.addAll(bound(procNet.resolve(table), false, clashing));
        found.removeIf(p -> PortAvailability.firstTaken(List.of(p)).isEmpty());
        found.forEach(p -> out.add(p.hostPort()));
        out.removeAll(own.get());
        return List.copyOf(out);
    }

    /**
     * A start found {@code ports} taken: they are remembered and the node's report is published
     * (the node re-registered with them) before this returns, so the placement that replaces the
     * refused instance already avoids them.
     */
    void taken(List<PortBinding> ports) {
        found.addAll(ports);
        try {
            publisher.run();
        } catch (RuntimeException e) {
            log.warn("cannot report the ports in use on this node: {}", e.getMessage());
        }
    }

    /** Who publishes the report (the node's liveness: re-registers the node when it changed). */
    void publishWith(Runnable publish) {
        this.publisher = publish;
    }

    /**
     * The local ports in the dynamic range of a {@code /proc/net} socket table: for TCP, sockets
     * listening ({@code 0A}) or bound and unconnected ({@code 07}); for UDP, every socket; only
     * those whose local address is among {@code clashing} (all when it is empty). A table that
     * cannot be read (not Linux, no IPv6) counts as empty.
     */
    static Set<Integer> bound(Path table, boolean tcp, Set<String> clashing) {
        var out = new TreeSet<Integer>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException | SecurityException e) {
            return out;
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 4) continue;
            int colon = f[1].lastIndexOf(':');
            if (colon < 0) continue;
            int port;
            try {
                port = Integer.parseInt(f[1].substring(colon + 1), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!DynamicPorts.contains(port)) continue;
            if (!clashing.isEmpty() && !clashing.contains(f[1].substring(0, colon).toUpperCase(java.util.Locale.ROOT))) continue;
            if (!tcp || f[3].equals("0A") || f[3].equals("07")) out.add(port);
        }
        return out;
    }
}
