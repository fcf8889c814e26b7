package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.ComputeResources;
import io.wharf.server.controller.InstanceDecoder;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Operator actions on nodes and services' placement:
 * <ul>
 *   <li>{@code POST /v1/nodes/{name}/drain} {@code {"drain": true|false}}: sets
 *       {@code spec.drain} (the service controller migrates the node's instances away at each
 *       service's update parallelism; {@code false} undoes it);</li>
 *   <li>{@code POST /v1/nodes/{name}/eligibility} {@code {"eligible": true|false}}: sets
 *       {@code spec.eligible} (ineligible nodes take no new instances; running ones stay);</li>
 *   <li>{@code GET /v1/node-usage}: every node with what its instances hold (cpu, memory, count);</li>
 *   <li>{@code POST /v1/namespaces/{ns}/services/{name}/rebalance}: asks the service controller to
 *       move instances from the fullest to the emptiest eligible nodes (the service's
 *       {@code Rebalance} condition turns true until it is done).</li>
 * </ul>
 * Each write compares the revision it read and records an event in the same transaction.
 * Thread safety: stateless.
 */
final class NodeRoutes {
  private static final int PAGE = 1000;

  private final ResourceRegistry registry;
  private final RequestBodies bodies;
  private final ObjectMapper json;

  NodeRoutes(ResourceRegistry registry, RequestBodies bodies, ObjectMapper json) {
    this.registry = registry;
    this.bodies = bodies;
    this.json = json;
  }

  void drain(Context ctx) {
    boolean drain = flag(ctx, "drain");
    String name = ctx.pathParam("name");
    send(ctx, updateNode(name, (spec, current) -> {
      if (spec.path("drain").asBoolean(false) == drain) {
        return null;
      }
      spec.put("drain", drain);
      return drain ? "NodeDraining" : "NodeDrainUndone";
    }, drain ? "drain requested: instances move to other nodes" : "drain undone: the node takes new instances"));
  }

  void eligibility(Context ctx) {
    boolean eligible = flag(ctx, "eligible");
    String name = ctx.pathParam("name");
    send(ctx, updateNode(name, (spec, current) -> {
      if (spec.path("eligible").asBoolean(true) == eligible) {
        return null;
      }
      spec.put("eligible", eligible);
      return eligible ? "NodeEligible" : "NodeIneligible";
    }, eligible ? "the node takes new instances" : "the node takes no new instances; running ones stay"));
  }

  void rebalance(Context ctx) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    String key = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    StoredObject written = registry.writer().write(now -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.SERVICE);
      if (current.isEmpty()) {
        throw ApiError.notFound("Service \"" + ns + "/" + name + "\" not found").failure();
      }
      ObjectNode next = current.get().object().deepCopy();
      ObjectNode status = next.withObjectProperty("status");
      ArrayNode conditions = json.createArrayNode();
      for (JsonNode c : status.path("conditions")) {
        if (!"Rebalance".equals(c.path("type").asText())) {
          conditions.add(c);
        }
      }
      conditions.addObject().put("type", "Rebalance").put("status", true).put("reason", "Requested")
          .put("message", "rebalance requested").put("since", now.toString());
      status.set("conditions", conditions);
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current.get(), now), now);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, current.get().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.SERVICE, ns, name, "RebalanceRequested",
              "instances move to restore the spread, update.parallelism at a time")),
          revision -> registry.withRevision(ResourceType.SERVICE, key, stored, revision));
    });
    ctx.status(202);
    sendBody(ctx, written.object());
  }

  /** {@code GET /v1/node-usage}: {@code {"items": [{name, address, state, drain, eligible, cpu..., instances}]}}. */
  void usage(Context ctx) {
    List<Node> nodes = new ArrayList<>();
    forEach(ResourceType.NODE, o -> decode(Kind.NODE, o, Node.class).ifPresent(nodes::add));
    Map<String, ComputeResources> used = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    InstanceDecoder instances = new InstanceDecoder();
    forEach(ResourceType.INSTANCE, o -> instances.decode(registry.bytes(o.object())).ifPresent(i -> {
      if (!i.status().state().terminal()) {
        String node = i.spec().node();
        counts.merge(node, 1, Integer::sum);
        ComputeResources sum = ComputeResources.NONE;
        for (var t : i.spec().tasks()) {
          if (t.lifecycle() == io.wharf.model.task.TaskLifecycle.MAIN
              || t.lifecycle() == io.wharf.model.task.TaskLifecycle.SIDECAR) {
            sum = sum.plus(t.resources());
          }
        }
        used.merge(node, sum, ComputeResources::plus);
      }
    }));
    ObjectNode body = json.createObjectNode();
    ArrayNode items = body.putArray("items");
    for (Node n : nodes) {
      ComputeResources allocatable = n.status().allocatable().equals(ComputeResources.NONE)
          ? n.status().capacity() : n.status().allocatable();
      ComputeResources u = used.getOrDefault(n.metadata().name(), ComputeResources.NONE);
      ObjectNode item = items.addObject();
      item.put("name", n.metadata().name());
      item.put("address", n.status().address());
      item.put("state", n.status().state().wire());
      item.put("drain", n.spec().drain());
      item.put("eligible", n.spec().eligible());
      item.put("cpuUsed", u.cpu().toString());
      item.put("cpuAllocatable", allocatable.cpu().toString());
      item.put("memoryUsed", u.memory().toString());
      item.put("memoryAllocatable", allocatable.memory().toString());
      item.put("instances", counts.getOrDefault(n.metadata().name(), 0));
    }
    sendBody(ctx, body);
  }

  private void forEach(ResourceType type, java.util.function.Consumer<StoredObject> each) {
    String after = null;
    do {
      ListPage page = registry.list(type, null, o -> true, PAGE, after);
      page.items().forEach(each);
      after = page.continueAfter();
    } while (after != null);
  }

  private static <T> Optional<T> decode(Kind kind, StoredObject o, Class<T> type) {
    Decoded<?> decoded = ResourceCodec.fromJson(kind, o.object().toString().getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    return decoded.ok() && type.isInstance(decoded.value()) ? Optional.of(type.cast(decoded.value())) : Optional.empty();
  }

  /**
   * Changes a node's spec; {@code change} edits the spec in place and returns the event reason,
   * or null when the spec already says so (nothing is written).
   */
  private StoredObject updateNode(String name, BiFunction<ObjectNode, StoredObject, String> change, String message) {
    String key = ResourceKeys.key(ResourceType.NODE, null, name);
    return registry.writer().write(now -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.NODE);
      if (current.isEmpty()) {
        throw ApiError.notFound("Node \"" + name + "\" not found").failure();
      }
      ObjectNode next = current.get().object().deepCopy();
      ObjectNode spec = next.withObjectProperty("spec");
      if (!spec.has("eligible")) {
        spec.put("eligible", true);
      }
      String reason = change.apply(spec, current.get());
      if (reason == null) {
        return new ChangeWriter.Done<>(current.get());
      }
      Instant at = now;
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current.get(), at), at);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, current.get().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.NODE, null, name, reason, message)),
          revision -> registry.withRevision(ResourceType.NODE, key, stored, revision));
    });
  }

  private boolean flag(Context ctx, String field) {
    ObjectNode body = bodies.tree(bodies.read(ctx));
    JsonNode value = body.get(field);
    if (value == null || !value.isBoolean()) {
      throw ApiError.invalid("request", List.of(new ApiProblem(field, "must be true or false"))).failure();
    }
    return value.asBoolean();
  }

  private void send(Context ctx, StoredObject object) {
    ctx.status(200);
    sendBody(ctx, object.object());
  }

  private void sendBody(Context ctx, ObjectNode body) {
    ctx.contentType("application/json");
    try {
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
