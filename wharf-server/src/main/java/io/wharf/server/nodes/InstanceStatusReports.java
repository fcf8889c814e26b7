package io.wharf.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a batch of instance statuses (already validated) in one transaction, with one event per
 * state change ({@code InstanceRunning}, {@code InstanceFailed} with the exit reason as message,
 * ...). Items naming instances that do not exist are skipped and reported. Used by agents
 * through the API and by the service controller (lost instances).
 *
 * <p>Thread safety: safe for many threads (writes go through {@link ChangeWriter}).
 */
public final class InstanceStatusReports {
  /** The most items one report may hold; bigger reports are refused. */
  public static final int MAX_ITEMS = 1000;

  private final Store store;
  private final ResourceRegistry registry;

  public InstanceStatusReports(Store store, ResourceRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  /** One reported status: {@code status} is an InstanceStatus as JSON. */
  public record Item(String namespace, String name, JsonNode status) {
    public Item {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
    }
  }

  /** {@code updated} counts instances whose status changed; {@code skipped} names missing ones (ns/name). */
  public record Outcome(long revision, int updated, List<String> skipped) {
    public Outcome {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * How many items one transaction holds on this store: each costs a compare, a put and the put
   * of its event (the event counter adds a compare and a put). On etcd's defaults (128
   * operations) that is 63; on the embedded store the whole report (up to {@value #MAX_ITEMS}).
   * Fewer, bigger transactions matter at scale: every transaction waits for a disk sync while it
   * holds the server's single writer.
   */
  public int itemsPerTxn() {
    return Math.max(1, Math.min(MAX_ITEMS, (registry.writer().limits().maxTxnOps() - 1) / 2));
  }

  /**
   * Writes the report: in one transaction when it has at most {@link #itemsPerTxn} items, else
   * in consecutive transactions of that many (each atomic). The outcome's revision is the last.
   */
  public Outcome report(List<Item> items) {
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("at most " + MAX_ITEMS + " items per report, got " + items.size());
    }
    int perTxn = itemsPerTxn();
    if (items.size() <= perTxn) {
      return reportOnce(items);
    }
    long revision = 0;
    int updated = 0;
    List<String> skipped = new ArrayList<>();
    for (int from = 0; from < items.size(); from += perTxn) {
      Outcome part = reportOnce(items.subList(from, Math.min(items.size(), from + perTxn)));
      revision = Math.max(revision, part.revision());
      updated += part.updated();
      skipped.addAll(part.skipped());
    }
    return new Outcome(revision, updated, skipped);
  }

  private Outcome reportOnce(List<Item> items) {
    return registry.writer().write(now -> {
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      List<EventDraft> events = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      int updated = 0;
      for (Item item : items) {
        String key = ResourceKeys.key(ResourceType.INSTANCE, item.namespace(), item.name());
        Optional<KeyValue> current = store.get(key);
        if (current.isEmpty()) {
          skipped.add(item.namespace() + "/" + item.name());
          continue;
        }
        StoredObject before = registry.decode(ResourceType.INSTANCE, current.get());
        ObjectNode next = before.object().deepCopy();
        next.set("status", item.status().deepCopy());
        if (ResourceRegistry.sameContent(before.object(), next)) {
          continue;
        }
        updated++;
        compares.add(new Txn.Compare(key, current.get().modRevision()));
        ops.add(new Txn.Put(key, registry.bytes(registry.stamped(next, ResourceRegistry.createdAt(before, now), now))));
        String oldState = before.object().path("status").path("state").asText("pending");
        String newState = item.status().path("state").asText("pending");
        if (!oldState.equals(newState)) {
          String reason = item.status().path("exitReason").asText("");
          events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.INSTANCE, item.namespace(), item.name(),
              "Instance" + capitalized(newState), newState.equals("failed") ? reason : oldState + " -> " + newState));
        }
      }
      if (ops.isEmpty()) {
        return new ChangeWriter.Done<>(new Outcome(store.revision(), 0, skipped));
      }
      int count = updated;
      return new ChangeWriter.Commit<>(compares, ops, events, revision -> new Outcome(revision, count, skipped));
    });
  }

  private static String capitalized(String state) {
    return state.isEmpty() ? "Unknown" : state.substring(0, 1).toUpperCase(Locale.ROOT) + state.substring(1);
  }
}
