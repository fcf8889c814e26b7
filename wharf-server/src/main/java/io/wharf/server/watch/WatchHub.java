package io.wharf.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans one store watch on {@link ResourceKeys#ROOT} out to any number of clients.
 *
 * <p>Each store change is decoded and serialized once, kept in a replay buffer of the last
 * {@code replayRevisions} revisions (and at most {@link #REPLAY_MAX_BYTES} of them), and offered to every subscriber's bounded queue (a full
 * queue drops that subscriber only). A client resuming from a revision still in the buffer is
 * served from it; one resuming from older history gets its own store watch from that revision,
 * which reports compaction (also used when the buffer holds more than a client's queue).
 *
 * <p>Subscribers that watch only one node's instances (node agents: {@code kinds=instances&node=N})
 * are indexed by node, so fanning out an instance change costs one map lookup however many agents
 * watch; other subscribers see every change and filter it themselves.
 *
 * <p>Thread safety: safe for many threads. The store's watch thread delivers under {@code lock};
 * {@link #subscribe} takes the same lock, so a new subscriber sees the replayed changes and then
 * the live ones without a gap or a duplicate.
 */
public final class WatchHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

  private final Store store;
  private final ObjectMapper json;
  private final int replayRevisions;
  /**
   * The replay buffer also stops at this many bytes of serialized changes: at scale one revision
   * may carry a thousand instances (a status report, a placement chunk), and 4,096 such revisions
   * would hold gigabytes. A client further behind gets its own store watch instead.
   */
  static final long REPLAY_MAX_BYTES = 64L << 20;
  // Guarded by lock: the serialized size of the changes in `recent`.
  private long recentBytes;
  private final int clientCapacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Subscription.Batch> recent = new ArrayDeque<>();
  // Every hub-fed subscriber; those that watch only the instances of one node (node agents) are
  // also indexed by node, so an instance change costs a lookup, not a pass over thousands of agents.
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final List<Subscription> unindexed = new CopyOnWriteArrayList<>();
  private final Map<String, List<Subscription>> byNode = new ConcurrentHashMap<>();
  // Guarded by lock: every change with revision >= replayFrom is in `recent` or yet to arrive.
  private long replayFrom;
  private long lastRevision;
  private volatile boolean closed;
  // Guarded by lock: replaced when the store watch ends unexpectedly and is reopened.
  private Watch storeWatch;

  public WatchHub(Store store, ObjectMapper json, int replayRevisions, int clientCapacity) {
    this.store = store;
    this.json = json;
    this.replayRevisions = replayRevisions;
    this.clientCapacity = clientCapacity;
    long start = store.revision();
    this.lastRevision = start;
    this.replayFrom = start + 1;
    this.storeWatch = store.watch(ResourceKeys.ROOT, start + 1, new HubListener());
  }

  /**
   * The store watch ended under us (connection lost for good, or compacted): end every stream
   * (clients resume with Last-Event-ID) and reopen from where the hub was, on a virtual thread,
   * retrying every second. When even that revision is gone, start afresh from the current one.
   */
  private void lost(boolean compacted, String why) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      for (Subscription s : subscribers) {
        s.end(Subscription.End.Reason.ERROR, 0, "server lost its store watch (" + why + "); reconnect with Last-Event-ID");
      }
      subscribers.clear();
      unindexed.clear();
      byNode.clear();
      if (compacted) {
        recent.clear();
        recentBytes = 0;
        lastRevision = -1;
      }
    } finally {
      lock.unlock();
    }
    Thread.ofVirtual().name("wharf-watch-reopen").start(this::reopen);
  }

  private void reopen() {
    while (!closed) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
        if (lastRevision < 0) {
          lastRevision = store.revision();
          replayFrom = lastRevision + 1;
        }
        storeWatch = store.watch(ResourceKeys.ROOT, lastRevision + 1, new HubListener());
        log.info("reopened the hub's store watch from revision {}", lastRevision + 1);
        return;
      } catch (RuntimeException e) {
        log.warn("reopening the hub's store watch failed; retrying: {}", e.toString());
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * A stream of changes matching {@code filter} with revision {@code >= fromRevision}; 0 means
   * "changes after now". The caller must close it.
   */
  public Subscription subscribe(WatchFilter filter, long fromRevision) {
    Subscription s = subscribeLive(filter, fromRevision);
    if (s != null) {
      return s;
    }
    // Older than the replay buffer: the client's own store watch, opened outside the hub's lock
    // (its listener may wait for the client, which must never hold up the hub).
    Subscription dedicated = new Subscription(filter, fromRevision, clientCapacity);
    Watch watch = store.watch(ResourceKeys.ROOT, fromRevision, new DedicatedListener(dedicated));
    dedicated.onClose(watch::close);
    return dedicated;
  }

  /** A hub-fed subscription, or null when the hub cannot replay back to {@code fromRevision}. */
  private Subscription subscribeLive(WatchFilter filter, long fromRevision) {
    lock.lock();
    try {
      if (closed) {
        Subscription s = new Subscription(filter, fromRevision, clientCapacity);
        s.end(Subscription.End.Reason.SHUTDOWN, 0, "server is shutting down");
        return s;
      }
      if (fromRevision == 0) {
        return register(new Subscription(filter, lastRevision + 1, clientCapacity));
      }
      Subscription s = new Subscription(filter, fromRevision, clientCapacity);
      if (fromRevision >= replayFrom && s.matching(recent) < clientCapacity) {
        for (Subscription.Batch b : recent) {
          if (b.revision() >= fromRevision && !s.deliver(b.revision(), b.changes())) {
            break;
          }
        }
        return register(s);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private static long bytes(Subscription.Batch b) {
    long n = 0;
    for (Change c : b.changes()) {
      n += c.data().length();
    }
    return n;
  }

  private Subscription register(Subscription s) {
    subscribers.add(s);
    String node = indexedNode(s);
    if (node == null) {
      unindexed.add(s);
    } else {
      byNode.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>()).add(s);
    }
    s.onClose(() -> unregister(s));
    return s;
  }

  private void unregister(Subscription s) {
    subscribers.remove(s);
    String node = indexedNode(s);
    if (node == null) {
      unindexed.remove(s);
      return;
    }
    byNode.computeIfPresent(node, (n, list) -> {
      list.remove(s);
      return list.isEmpty() ? null : list;
    });
  }

  /** The node a subscriber is indexed by: it watches instances only, of that node; else null. */
  private static String indexedNode(Subscription s) {
    WatchFilter f = s.filter();
    return f.node() != null && f.kinds().equals(Set.of(ResourceType.INSTANCE)) ? f.node() : null;
  }

  /**
   * Offers one revision to every subscriber that may want it: all unindexed ones, and of the
   * node-indexed ones those of the nodes its instance changes name (all of them when an instance
   * change has no node, or for a revision without instance changes none). A subscriber that
   * overflows is dropped. Holds {@code lock}.
   */
  private void fanOut(Subscription.Batch b) {
    for (Subscription s : unindexed) {
      offer(s, b);
    }
    if (byNode.isEmpty()) {
      return;
    }
    Set<String> nodes = new HashSet<>();
    boolean everyNode = false;
    for (Change c : b.changes()) {
      if (c.kind() == ResourceType.INSTANCE) {
        if (c.node() == null) {
          everyNode = true;
          break;
        }
        nodes.add(c.node());
      }
    }
    if (everyNode) {
      byNode.values().forEach(list -> list.forEach(s -> offer(s, b)));
      return;
    }
    for (String node : nodes) {
      List<Subscription> list = byNode.get(node);
      if (list != null) {
        list.forEach(s -> offer(s, b));
      }
    }
  }

  private void offer(Subscription s, Subscription.Batch b) {
    if (!s.deliver(b.revision(), b.changes())) {
      unregister(s);
    }
  }

  /** How many clients the hub is feeding (not counting those on a dedicated watch). */
  public int subscriberCount() {
    return subscribers.size();
  }

  /** Ends every stream now, so their HTTP requests can finish. */
  public void endAll(String message) {
    lock.lock();
    try {
      closed = true;
      for (Subscription s : subscribers) {
        s.end(Subscription.End.Reason.SHUTDOWN, 0, message);
      }
      subscribers.clear();
      unindexed.clear();
      byNode.clear();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    endAll("server is shutting down");
    lock.lock();
    try {
      storeWatch.close();
    } finally {
      lock.unlock();
    }
  }

  private final class HubListener implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      List<Subscription.Batch> batches = batches(events);
      lock.lock();
      try {
        for (Subscription.Batch b : batches) {
          recent.addLast(b);
          recentBytes += bytes(b);
          lastRevision = b.revision();
          while (recent.size() > replayRevisions || recent.size() > 1 && recentBytes > REPLAY_MAX_BYTES) {
            Subscription.Batch dropped = recent.removeFirst();
            recentBytes -= bytes(dropped);
            replayFrom = dropped.revision() + 1;
          }
          fanOut(b);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      log.warn("the hub's store watch was compacted at {}; ending every stream and starting afresh", compactRevision);
      lost(true, "compacted at " + compactRevision);
    }

    @Override
    public void onError(Throwable cause) {
      if (!closed) {
        log.warn("the hub's store watch ended; ending every stream and reopening", cause);
      }
      lost(false, String.valueOf(cause.getMessage()));
    }
  }

  private final class DedicatedListener implements WatchListener {
    private final Subscription subscription;

    DedicatedListener(Subscription subscription) {
      this.subscription = subscription;
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
      try {
        for (Subscription.Batch b : batches(events)) {
          if (!subscription.deliverWaiting(b.revision(), b.changes())) {
            subscription.close();
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        subscription.close();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      subscription.end(Subscription.End.Reason.COMPACTED, compactRevision,
          "revision compacted; relist and watch from the list's revision + 1");
    }

    @Override
    public void onError(Throwable cause) {
      subscription.end(Subscription.End.Reason.ERROR, 0, "watch ended: " + cause.getMessage());
    }
  }

  /** Groups store events by revision and turns each into a client change. */
  private List<Subscription.Batch> batches(List<WatchEvent> events) {
    List<Subscription.Batch> out = new ArrayList<>();
    List<Change> current = new ArrayList<>();
    long revision = -1;
    for (WatchEvent e : events) {
      if (e.revision() != revision && !current.isEmpty()) {
        out.add(new Subscription.Batch(revision, current));
        current = new ArrayList<>();
      }
      revision = e.revision();
      toChange(e).ifPresent(current::add);
    }
    if (!current.isEmpty()) {
      out.add(new Subscription.Batch(revision, current));
    }
    return out;
  }

  private Optional<Change> toChange(WatchEvent e) {
    Optional<ResourceKeys.Address> address = ResourceKeys.parse(e.kv().key());
    if (address.isEmpty()) {
      return Optional.empty();
    }
    ResourceKeys.Address a = address.get();
    ObjectNode object;
    if (e.type() == WatchEvent.Type.PUT) {
      object = parse(e.kv());
    } else if (e.prev() != null && e.prev().value().length > 0) {
      object = parse(e.prev());
    } else {
      object = json.createObjectNode();
      object.put("kind", a.type().kind());
      ObjectNode metadata = object.putObject("metadata");
      metadata.put("name", a.name());
      if (a.namespace() != null) {
        metadata.put("namespace", a.namespace());
      }
    }
    if (a.type() == io.wharf.server.registry.ResourceType.SECRET) {
      object = io.wharf.server.secrets.SecretRedaction.redacted(object); // values are read only by reveal
    }
    JsonNode ns = object.path("metadata").path("namespace");
    String namespace = a.namespace() != null ? a.namespace() : ns.isTextual() ? ns.asText() : null;
    JsonNode nodeField = object.path("spec").path("node");
    String node = a.type() == io.wharf.server.registry.ResourceType.INSTANCE && nodeField.isTextual()
        ? nodeField.asText() : null;
    ObjectNode data = json.createObjectNode();
    data.put("type", e.type().name());
    data.put("kind", a.type().kind());
    data.put("revision", e.revision());
    data.set("object", object);
    try {
      return Optional.of(new Change(e.type().name(), a.type(), namespace, a.name(), e.revision(),
          json.writeValueAsString(data), node));
    } catch (IOException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private ObjectNode parse(KeyValue kv) {
    try {
      ObjectNode object = (ObjectNode) json.readTree(kv.value());
      object.withObjectProperty("metadata").put("revision", kv.modRevision());
      return object;
    } catch (IOException | ClassCastException ex) {
      ObjectNode broken = json.createObjectNode();
      broken.put("error", "stored value is not a JSON object");
      return broken;
    }
  }
}
