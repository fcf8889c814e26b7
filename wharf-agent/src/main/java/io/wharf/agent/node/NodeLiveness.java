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
 * unreachable server is retried on the next beat; nothing here ever gives up.
 *
 * <p>One virtual thread; {@link #registered()} may be read from any thread.
 */
final class NodeLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final AgentApi api;
    private final Supplier<Node> node;
    private final Duration interval;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean registered;
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
                if (!registered) {
                    api.registerNode(n.metadata().name(), ResourceCodec.toTree(n));
                    registered = true;
                    log.info("node {} registered (address {}, agent {})", n.metadata().name(), n.status().address(),
                            n.status().agentAddress());
                }
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
