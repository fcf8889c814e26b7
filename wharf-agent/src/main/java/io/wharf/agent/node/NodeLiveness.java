package io.wharf.agent.node;

import io.wharf.client.AgentApi;
import io.wharf.client.ApiException;
import io.wharf.model.Node;
import io.wharf.model.codec.ResourceCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node registered and alive: registers it, then heartbeats every {@code interval};
 * a heartbeat answered 404 (the server lost the node, or it was deleted) registers again. An
 * unreachable server is retried on the next beat; nothing here ever gives up. The node's status
 * is computed afresh each beat ({@code node}, which fingerprints the ports in use, see
 * {@link HostPorts}); when it differs from what was registered, the node registers again.
 *
 * <p>One virtual thread; {@link #registered()} may be read from any thread; {@link #publishNow()}
 * registers on the caller's thread. Registrations are serialized by one lock.
 */
final class NodeLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final AgentApi api;
    private final Supplier<Node> node;
    private final Duration interval;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;
    private final java.util.concurrent.locks.ReentrantLock registering = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean registered;
    private Node lastRegistered; // guarded by registering
    private volatile String state = "unknown";

    NodeLiveness(AgentApi api, Supplier<Node> node, Duration interval) {
        this.api = api;
        this.node = node;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("node-liveness").start(this::run);
    }

    boolean registered() { return registered; }

    /** The node's state as the last heartbeat answer said ({@code ready}, ...). */
    String state() { return state; }

    private void run() {
        while (!closed.isDone()) {
            Node n = node.get();
            try {
                registerIfChanged(n);
                state = api.heartbeat(n.metadata().name());
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    log.warn("the server does not know node {}: registering again", n.metadata().name());
                    registered = false; // the next round (within a second) registers
                }
                log.warn("heartbeat of node {} failed: {}", n.metadata().name(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("heartbeat of node {} failed: {}", n.metadata().name(), e.getMessage());
            }
            try {
                closed.get(registered ? interval.toMillis() : Math.min(1000, interval.toMillis()), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // next beat
            } catch (Exception e) {
                return;
            }
        }
    }

    /** Registers {@code n} unless it is what was registered last. */
    private void registerIfChanged(Node n) {
        registering.lock();
        try {
            if (registered && n.equals(lastRegistered)) return;
            boolean again = registered;
            api.registerNode(n.metadata().name(), ResourceCodec.toTree(n));
            lastRegistered = n;
            registered = true;
            if (again) {
                log.info("node {} registered again: ports in use {}", n.metadata().name(), n.status().portsInUse());
            } else {
                log.info("node {} registered (address {}, agent {})", n.metadata().name(), n.status().address(),
                        n.status().agentAddress());
            }
        } finally {
            registering.unlock();
        }
    }

    /**
     * Registers the node now when its status changed (e.g. a port was found taken), on the caller's
     * thread; a failure is the caller's (and the next beat tries again).
     */
    void publishNow() {
        registerIfChanged(node.get());
    }

    @Override
    public void close() {
        closed.complete(null);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
