package io.wharf.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.AgentApi;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the instances placed on this node: lists them, hands the listing to the supervisor,
 * then watches from the listing's revision + 1 and hands over each change. A compacted revision,
 * a watch the server ended, or a failed listing starts over with a new listing (after a backoff
 * while the server is unreachable); a dropped connection is resumed by the watch itself.
 *
 * <p>One virtual thread runs the loop; watch events arrive on the watch's thread, in order.
 */
final class Assignments implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Assignments.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final WharfClient client;
    private final AgentApi api;
    private final String node;
    private final InstanceSupervisor supervisor;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread thread;

    Assignments(WharfClient client, AgentApi api, String node, InstanceSupervisor supervisor) {
        this.client = client;
        this.api = api;
        this.node = node;
        this.supervisor = supervisor;
        this.thread = Thread.ofVirtual().name("assignments").start(this::run);
    }

    private void run() {
        long backoff = 200;
        while (!closed.isDone()) {
            try {
                long revision = relist();
                backoff = 200;
                var ended = new CompletableFuture<Throwable>();
                try (WatchStream ignored = client.watch(WatchRequest.of("instances").onNode(node).from(revision + 1),
                        listener(ended))) {
                    CompletableFuture.anyOf(ended, closed).join();
                }
                if (closed.isDone()) return;
                Throwable error = ended.getNow(null);
                if (error != null) log.warn("instance watch ended: {}; listing again", error.getMessage());
            } catch (RuntimeException e) {
                log.warn("cannot follow this node's instances ({}); retrying in {} ms", e.getMessage(), backoff);
                try {
                    closed.get(backoff, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException timeout) {
                    backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                } catch (Exception interrupted) {
                    return;
                }
            }
        }
    }

    /** Lists every page; returns the lowest page revision (watching from there replays, never misses). */
    private long relist() {
        Map<InstanceKey, Instance> desired = new HashMap<>();
        long revision = Long.MAX_VALUE;
        ListOptions page = ListOptions.ALL;
        while (true) {
            ResourceList list = api.instancesOn(node, page);
            revision = Math.min(revision, list.revision());
            for (JsonNode item : list.items()) {
                Instance i = decode(item);
                if (i != null && node.equals(i.spec().node())) {
                    desired.put(new InstanceKey(i.metadata().namespace(), i.metadata().name()), i);
                }
            }
            if (!list.hasMore()) break;
            page = page.withContinue(list.continueToken());
        }
        supervisor.sync(desired);
        return revision;
    }

    private WatchListener listener(CompletableFuture<Throwable> ended) {
        return new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                if (!"Instance".equals(event.kind())) return;
                JsonNode meta = event.object().path("metadata");
                var key = new InstanceKey(meta.path("namespace").asText(), meta.path("name").asText());
                if (event.isDelete()) {
                    supervisor.remove(key);
                    return;
                }
                Instance i = decode(event.object());
                if (i == null) return;
                if (node.equals(i.spec().node())) supervisor.apply(i); else supervisor.remove(key);
            }

            @Override
            public void onCompacted(long compactRevision) {
                ended.complete(new IllegalStateException("revision compacted at " + compactRevision));
            }

            @Override
            public void onClosed(Throwable error) {
                ended.complete(error);
            }
        };
    }

    private static Instance decode(JsonNode json) {
        try {
            Decoded<io.wharf.model.Resource> d = ResourceCodec.fromJson(Kind.INSTANCE, ResourceCodec.json().writeValueAsBytes(json));
            if (d.ok()) return (Instance) d.value();
            log.warn("ignoring an instance that does not decode: {}", d.problems());
        } catch (java.io.IOException e) {
            log.warn("ignoring an unreadable instance", e);
        }
        return null;
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
