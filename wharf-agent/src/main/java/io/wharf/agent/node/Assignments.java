package io.wharf.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.watch.Following;
import io.wharf.client.AgentApi;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchRequest;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the instances placed on this node: lists them, hands the listing to the supervisor,
 * then watches from the listing's revision + 1 and hands over each change. A compacted revision,
 * a watch the server ended, or a failed listing starts over with a new listing (after a backoff
 * while the server is unreachable); a dropped connection is resumed by the watch itself.
 *
 * <p>One virtual thread runs the loop ({@link Following}); watch events arrive on the watch's thread, in order.
 */
final class Assignments implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Assignments.class);

    private final AgentApi api;
    private final String node;
    private final InstanceSupervisor supervisor;
    private final Following following;

    Assignments(WharfClient client, AgentApi api, String node, InstanceSupervisor supervisor) {
        this.api = api;
        this.node = node;
        this.supervisor = supervisor;
        this.following = new Following(client, "assignments", this::relist,
                revision -> WatchRequest.of("instances").onNode(node).from(revision + 1), () -> { }, this::onEvent);
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

    private void onEvent(WatchEvent event) {
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
        following.close();
    }
}
