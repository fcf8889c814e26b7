package io.wharf.agent.ambassador;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.agent.watch.Following;
import io.wharf.client.ApiException;
import io.wharf.client.DiscoveryApi;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's ambassadors ({@link Ambassador}), one per (namespace, service, port) some instance
 * here depends on, and what keeps their targets current: a watch of instances, nodes and
 * endpoints (every namespace) that, on a change of a node or of such a service's instances or
 * endpoints, re-reads the discovery view of the services that have ambassadors ({@code GET .../services/{name}/endpoints}), plus a full re-read every
 * {@link #RESYNC} in case a change slipped by. A readiness change reaches the ambassadors in the
 * time of one watch event and one read.
 *
 * <p>Each ambassador keeps its local port for the agent's life and across agent restarts (the
 * ports are remembered in {@code ambassadors.json} in the agent's data directory and bound again
 * at start), so instances adopted by a new agent still reach their dependencies. Ambassadors are
 * never removed while the agent runs.
 *
 * <p>Concurrency: {@link #ensure} may be called from any thread (the supervisor's starts); the
 * map is concurrent and creation is under {@link #lock}. One refresher virtual thread waits on
 * {@link #dirty}; the watch's thread only signals it.
 */
public final class Ambassadors implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ambassadors.class);
    static final Duration RESYNC = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DiscoveryApi discovery;
    private final Path stateFile;
    private final Map<AmbassadorKey, Ambassador> running = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dirty = lock.newCondition();
    private boolean changed; // guarded by lock
    private volatile boolean closed;
    private final WharfClient client;
    private final Thread refresher;
    private Following following; // guarded by lock; started with the first ambassador

    private Ambassadors(WharfClient client, Path stateFile) {
        this.client = client;
        this.discovery = new DiscoveryApi(client);
        this.stateFile = stateFile;
        this.refresher = Thread.ofVirtual().name("ambassador-refresh").start(this::refreshLoop);
        lock.lock();
        try {
            for (Map.Entry<AmbassadorKey, Integer> remembered : load(stateFile).entrySet()) {
                open(remembered.getKey(), remembered.getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts the node's ambassadors, binding again the ports remembered in {@code stateFile}. */
    public static Ambassadors start(WharfClient client, Path stateFile) {
        return new Ambassadors(client, stateFile);
    }

    /**
     * The local port of the ambassador for {@code key}, opening it (and reading its targets once,
     * so a connection made right after gets through) when it is new.
     */
    public int ensure(AmbassadorKey key) {
        Ambassador a = running.get(key);
        if (a != null) return a.port();
        lock.lock();
        try {
            a = running.get(key);
            if (a == null) {
                a = open(key, 0);
                save();
            }
        } finally {
            lock.unlock();
        }
        refresh(key.namespace(), key.service());
        return a.port();
    }

    /** The current targets of {@code key}'s ambassador (empty when there is none). */
    public List<InetSocketAddress> targets(AmbassadorKey key) {
        Ambassador a = running.get(key);
        return a == null ? List.of() : a.targets();
    }

    /** Opens an ambassador, and with the first one the watch that keeps them current. Under {@link #lock}. */
    private Ambassador open(AmbassadorKey key, int port) {
        if (following == null) {
            following = new Following(client, "endpoints for ambassadors", () -> 0,
                    from -> WatchRequest.of("instances", "nodes", "endpoints"), this::poke, this::onEvent);
        }
        try {
            Ambassador a;
            try {
                a = new Ambassador(key, port);
            } catch (IOException taken) {
                if (port == 0) throw taken;
                log.warn("ambassador {}: port {} is taken now ({}); using a new one", key, port, taken.getMessage());
                a = new Ambassador(key, 0);
            }
            running.put(key, a);
            log.info("ambassador {} listening on 127.0.0.1:{}", key, a.port());
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open an ambassador for " + key, e);
        }
    }

    /**
     * Re-reads only for changes that can move an ambassador's targets: any node (addresses), and
     * instances and external endpoints of services that have ambassadors here, and deletions. The rest of the
     * cluster's churn costs a comparison, not a read.
     */
    private void onEvent(WatchEvent event) {
        JsonNode o = event.object();
        String namespace = o.path("metadata").path("namespace").asText();
        String service = switch (event.kind()) {
            case "Node" -> null;
            case "Instance" -> o.path("spec").path("owner").path("name").asText();
            case "Endpoint" -> o.path("spec").path("service").asText();
            default -> "";
        };
        // A delete may carry only metadata: re-read rather than guess whose it was.
        if (service == null || event.isDelete() || running.keySet().stream()
                .anyMatch(k -> k.namespace().equals(namespace) && k.service().equals(service))) {
            poke();
        }
    }

    private void poke() {
        lock.lock();
        try {
            changed = true;
            dirty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void refreshLoop() {
        while (!closed) {
            lock.lock();
            try {
                long left = RESYNC.toNanos();
                while (!changed && !closed && left > 0) {
                    left = dirty.awaitNanos(left);
                }
                changed = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (closed) return;
            Set<List<String>> services = new LinkedHashSet<>();
            running.keySet().forEach(k -> services.add(List.of(k.namespace(), k.service())));
            for (List<String> s : services) {
                refresh(s.get(0), s.get(1));
            }
        }
    }

    /** Reads one service's endpoints and gives each of its ambassadors the addresses of its port. */
    private void refresh(String namespace, String service) {
        JsonNode view;
        try {
            view = discovery.service(namespace, service);
        } catch (ApiException e) {
            if (e.status() != 404) {
                log.info("endpoints of {}/{} not readable now: {}", namespace, service, e.getMessage());
                return;
            }
            view = JSON.createObjectNode();
        } catch (RuntimeException e) {
            log.info("endpoints of {}/{} not readable now: {}", namespace, service, e.getMessage());
            return;
        }
        for (Ambassador a : running.values()) {
            AmbassadorKey k = a.key();
            if (!k.namespace().equals(namespace) || !k.service().equals(service)) continue;
            List<InetSocketAddress> targets = new ArrayList<>();
            for (JsonNode e : view.path("endpoints")) {
                JsonNode port = e.path("ports").path(k.port());
                if (port.canConvertToInt() && port.asInt() > 0) {
                    targets.add(InetSocketAddress.createUnresolved(e.path("address").asText(), port.asInt()));
                }
            }
            a.targets(resolved(targets));
        }
    }

    /** Addresses are IP literals: resolving them parses, never looks anything up. */
    private static List<InetSocketAddress> resolved(List<InetSocketAddress> unresolved) {
        List<InetSocketAddress> out = new ArrayList<>(unresolved.size());
        for (InetSocketAddress u : unresolved) {
            out.add(new InetSocketAddress(u.getHostString(), u.getPort()));
        }
        return out;
    }

    private static Map<AmbassadorKey, Integer> load(Path file) {
        Map<AmbassadorKey, Integer> out = new TreeMap<>(java.util.Comparator.comparing(AmbassadorKey::toString));
        if (!Files.exists(file)) return out;
        try {
            JsonNode root = JSON.readTree(file.toFile());
            root.fields().forEachRemaining(e -> {
                try {
                    out.put(AmbassadorKey.parse(e.getKey()), e.getValue().asInt());
                } catch (IllegalArgumentException bad) {
                    log.warn("ignoring {} in {}: {}", e.getKey(), file, bad.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("cannot read {} ({}); ambassadors get new ports", file, e.getMessage());
        }
        return out;
    }

    /** Writes the ports, atomically (a new file renamed over the old). Under {@link #lock}. */
    private void save() {
        ObjectNode root = JSON.createObjectNode();
        Map<String, Integer> ports = new TreeMap<>();
        running.forEach((k, a) -> ports.put(k.toString(), a.port()));
        ports.forEach(root::put);
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot remember ambassador ports in {}: {}", stateFile, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        Following f;
        lock.lock();
        try {
            f = following;
        } finally {
            lock.unlock();
        }
        if (f != null) f.close();
        poke();
        try {
            refresher.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(Ambassador::close);
    }
}
