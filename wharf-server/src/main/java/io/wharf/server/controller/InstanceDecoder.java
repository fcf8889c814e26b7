package io.wharf.server.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Resource;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes stored Instances fast. The full codec (schema readers, validation) costs tens of
 * microseconds per instance, and a cluster of 100,000 instances changes each several times on its
 * way to running; but the instances of one service share everything heavy (tasks, restart policy,
 * owner). So the spec without its per-instance fields ({@code node}, {@code assignedPorts}) is
 * decoded once by the full codec and remembered by its JSON; metadata, node, ports and status are
 * read directly. Anything unexpected falls back to the full codec, so the result is always what
 * the codec would give for a valid stored instance (stored instances were validated when written).
 *
 * <p>Thread safety: not thread-safe; one owner at a time (the cache calls it under its lock).
 */
public final class InstanceDecoder {
  private static final int TEMPLATES = 4096;
  private static final ObjectMapper JSON = ResourceCodec.json();

  /** Shared spec parts by their JSON; least recently used evicted past {@value #TEMPLATES}. */
  private final Map<JsonNode, InstanceSpec> templates = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<JsonNode, InstanceSpec> eldest) {
      return size() > TEMPLATES;
    }
  };

  private long templated; // decodes that took the fast path (for tests)

  long templated() {
    return templated;
  }

  /** The instance, or empty when the bytes are not a valid instance. */
  public Optional<Instance> decode(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (!(root instanceof ObjectNode object) || !(object.get("spec") instanceof ObjectNode spec)
          || !(object.get("metadata") instanceof ObjectNode metadata)) {
        return full(bytes);
      }
      ObjectNode shared = spec.deepCopy();
      JsonNode node = shared.remove("node");
      JsonNode ports = shared.remove("assignedPorts");
      if (node == null || !node.isTextual() || (ports != null && !ports.isObject())) {
        return full(bytes);
      }
      InstanceSpec template = templates.get(shared);
      if (template == null) {
        Optional<Instance> decoded = full(bytes);
        decoded.ifPresent(i -> templates.put(shared, i.spec()));
        return decoded;
      }
      Map<String, Integer> assigned = new LinkedHashMap<>();
      if (ports != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().canConvertToInt()) {
            return full(bytes);
          }
          assigned.put(e.getKey(), e.getValue().intValue());
        }
      }
      Map<String, String> labels = new HashMap<>();
      JsonNode labelNode = metadata.path("labels");
      for (Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      JsonNode name = metadata.get("name");
      if (name == null || !name.isTextual()) {
        return full(bytes);
      }
      Metadata meta = new Metadata(name.asText(), metadata.path("namespace").asText("default"), labels, 0,
          instant(metadata.get("createdAt")), instant(metadata.get("updatedAt")));
      JsonNode statusNode = object.get("status");
      InstanceStatus status = statusNode == null || statusNode.isNull() || statusNode.isEmpty()
          ? InstanceStatus.EMPTY : JSON.treeToValue(statusNode, InstanceStatus.class);
      InstanceSpec s = new InstanceSpec(template.owner(), template.ownerRevision(), node.asText(), template.tasks(),
          assigned, template.restart(), template.inputs());
      templated++;
      return Optional.of(new Instance(meta, s, status));
    } catch (java.io.IOException | RuntimeException e) {
      return full(bytes);
    }
  }

  private static Instant instant(JsonNode n) {
    return n == null || !n.isTextual() ? null : Instant.parse(n.asText());
  }

  private static Optional<Instance> full(byte[] bytes) {
    Decoded<Resource> decoded = ResourceCodec.fromJson(Kind.INSTANCE, bytes);
    return decoded.ok() && decoded.value() instanceof Instance i ? Optional.of(i) : Optional.empty();
  }
}
