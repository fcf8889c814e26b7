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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a batch of instance statuses (already validated) in one transaction, with one event per
 * state change ({@code InstanceRunning}, {@code InstanceFailed} with the exit reason as message,
 * ...). Items naming instances that do not exist are skipped and reported. Used by agents
 * through the API and by the service controller (lost instances).
 *
 * <p>Thread safety: safe for many threads. Concurrent reports are combined into shared
 * transactions (one writer at a time, under {@code combining}); writes go through
 * {@link ChangeWriter}.
 */
public final class InstanceStatusReports {
  /** The most items one report may hold; bigger reports are refused. */
  public static final int MAX_ITEMS = 1000;

  private final Store store;
  private final ResourceRegistry registry;
  private final ReentrantLock combining = new ReentrantLock();
  private final ConcurrentLinkedDeque<Waiting> waiting = new ConcurrentLinkedDeque<>();

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
   *
   * <p>Reports arriving while another is being written are combined: the next writer takes every
   * waiting report that fits in one transaction (whole reports only, so each stays atomic) and
   * writes them together. Many agents reporting at once then cost one transaction, and one disk
   * sync under the server's single writer, instead of one each.
   */
  public Outcome report(List<Item> items) {
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("at most " + MAX_ITEMS + " items per report, got " + items.size());
    }
    int perTxn = itemsPerTxn();
    if (items.size() <= perTxn) {
      return combined(items);
    }
    long revision = 0;
    int updated = 0;
    List<String> skipped = new ArrayList<>();
    for (int from = 0; from < items.size(); from += perTxn) {
      Outcome part = combined(items.subList(from, Math.min(items.size(), from + perTxn)));
      revision = Math.max(revision, part.revision());
      updated += part.updated();
      skipped.addAll(part.skipped());
    }
    return new Outcome(revision, updated, skipped);
  }

  /** A report waiting to be written; completed by whichever thread writes its round. */
  private record Waiting(List<Item> items, CompletableFuture<Outcome> done) {}

  /** What one round's transaction did to each item ({@code ns/name}). */
  private record Written(long revision, Set<String> updated, Set<String> skipped) {}

  private Outcome combined(List<Item> items) {
    Waiting mine = new Waiting(List.copyOf(items), new CompletableFuture<>());
    waiting.add(mine);
    combining.lock();
    try {
      while (!mine.done().isDone()) {
        writeRound();
      }
    } finally {
      combining.unlock();
    }
    try {
      return mine.done().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  /** Takes waiting reports up to one transaction's worth and writes them together. Holds {@code combining}. */
  private void writeRound() {
    int perTxn = itemsPerTxn();
    List<Waiting> round = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    List<Waiting> later = new ArrayList<>();
    Waiting w;
    while ((w = waiting.peekFirst()) != null && (round.isEmpty() || items.size() + w.items().size() <= perTxn)) {
      waiting.pollFirst();
      // One transaction never puts a key twice (etcd refuses it): a report naming an instance
      // already in this round waits for the next one.
      if (w.items().stream().anyMatch(i -> keys.contains(name(i)))) {
        later.add(w);
        continue;
      }
      round.add(w);
      items.addAll(w.items());
      w.items().forEach(i -> keys.add(name(i)));
    }
    for (int i = later.size() - 1; i >= 0; i--) {
      waiting.addFirst(later.get(i));
    }
    if (round.isEmpty()) {
      return;
    }
    try {
      Written written = write(items);
      for (Waiting r : round) {
        int updated = 0;
        List<String> skipped = new ArrayList<>();
        for (Item i : r.items()) {
          if (written.updated().contains(name(i))) {
            updated++;
          } else if (written.skipped().contains(name(i))) {
            skipped.add(name(i));
          }
        }
        r.done().complete(new Outcome(written.revision(), updated, skipped));
      }
    } catch (RuntimeException e) {
      round.forEach(r -> r.done().completeExceptionally(e));
    }
  }

  private static String name(Item item) {
    return item.namespace() + "/" + item.name();
  }

  private Written write(List<Item> items) {
    return registry.writer().write(now -> {
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      List<EventDraft> events = new ArrayList<>();
      Set<String> skipped = new HashSet<>();
      Set<String> updated = new HashSet<>();
      for (Item item : items) {
        String key = ResourceKeys.key(ResourceType.INSTANCE, item.namespace(), item.name());
        Optional<KeyValue> current = store.get(key);
        if (current.isEmpty()) {
          skipped.add(name(item));
          continue;
        }
        StoredObject before = registry.decode(ResourceType.INSTANCE, current.get());
        ObjectNode next = before.object().deepCopy();
        next.set("status", item.status().deepCopy());
        if (ResourceRegistry.sameContent(before.object(), next)) {
          continue;
        }
        updated.add(name(item));
        compares.add(new Txn.Compare(key, current.get().modRevision()));
        ops.add(new Txn.Put(key, registry.bytes(registry.stamped(next, ResourceRegistry.createdAt(before, now), now))));
        String oldState = before.object().path("status").path("state").asText("pending");
        String newState = item.status().path("state").asText("pending");
        if (!oldState.equals(newState)) {
          String reason = item.status().path(newState.equals("waiting") ? "waitingReason" : "exitReason").asText("");
          boolean why = newState.equals("failed") || newState.equals("rejected") || newState.equals("waiting");
          events.add(ResourceRegistry.draft(EventType.Updated, ResourceType.INSTANCE, item.namespace(), item.name(),
              "Instance" + capitalized(newState), why ? reason : oldState + " -> " + newState));
        }
      }
      if (ops.isEmpty()) {
        return new ChangeWriter.Done<>(new Written(store.revision(), Set.of(), skipped));
      }
      return new ChangeWriter.Commit<>(compares, ops, events, revision -> new Written(revision, updated, skipped));
    });
  }

  private static String capitalized(String state) {
    return state.isEmpty() ? "Unknown" : state.substring(0, 1).toUpperCase(Locale.ROOT) + state.substring(1);
  }
}
