package io.wharf.server.controller.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutRecord;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.server.events.EventDraft;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The one write of rollout state: status fields, optionally the spec's template, one event. Stateless. */
final class RolloutWrites {
  private RolloutWrites() {}

  /**
   * Puts {@code rollout}, {@code history} and {@code restartedAt} into the service's status and,
   * when {@code template} is not null, its tasks and restart policy into the spec and its inputs into the status; in one
   * transaction that compares {@code expectedRevision} (0 = whatever is stored), with
   * {@code event} (null = none). Returns the committed revision, or 0 when the service changed
   * or vanished meanwhile.
   */
  static long write(ResourceRegistry registry, String ns, String name, long expectedRevision, Rollout rollout,
      List<RolloutRecord> history, Instant restartedAt, InstanceTemplate template, EventDraft event) {
    ObjectMapper json = ResourceCodec.json();
    String key = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    return registry.writer().write(now -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.SERVICE);
      if (current.isEmpty() || (expectedRevision != 0 && current.get().revision() != expectedRevision)) {
        return new ChangeWriter.Done<>(0L);
      }
      ObjectNode next = current.get().object().deepCopy();
      ObjectNode status = next.withObjectProperty("status");
      ServiceStatus fields = ServiceStatus.EMPTY.withRollout(rollout, history, restartedAt);
      ObjectNode tree = json.valueToTree(fields);
      for (String field : List.of("rollout", "history", "restartedAt")) {
        if (tree.has(field)) {
          status.set(field, tree.get(field));
        } else {
          status.remove(field);
        }
      }
      if (template != null) {
        ObjectNode spec = next.withObjectProperty("spec");
        ObjectNode t = json.valueToTree(template);
        spec.set("tasks", t.get("tasks"));
        spec.set("restart", t.get("restart"));
        // The template's configs and secrets go back with it (their revisions' snapshots are read).
        if (template.inputs().isEmpty()) {
          status.remove("inputs");
        } else {
          status.set("inputs", json.valueToTree(template.inputs()));
        }
      }
      ObjectNode stored = registry.stamped(next, ResourceRegistry.createdAt(current.get(), now), now);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, current.get().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))), event == null ? List.of() : List.of(event),
          revision -> revision);
    });
  }
}
