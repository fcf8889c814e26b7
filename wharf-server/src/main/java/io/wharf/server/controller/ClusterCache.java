package io.wharf.server.controller;

import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Watch;
import io.wharf.store.WatchEvent;
import io.wharf.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers' shared, read-only view of the store (an informer): services, jobs, instances,
 * nodes and node liveness keys, decoded once into immutable model records. It lists each prefix, then
 * follows ONE store watch on {@code /wharf/} from the lowest list revision + 1 (changes already
 * listed are recognized by revision and skipped). A compacted or broken watch makes it relist and
 * tell handlers about every difference, so no change is ever missed for good.
 *
 * <p>Handlers ({@link #onChange}) run on the watch's delivery thread and must only queue keys.
 * Thread safety: reads are lock-free from a concurrent map of immutable entries; changes are
 * applied by one thread at a time under {@code lock}, which {@link #awaitRevision} waits on.
 */
public final class ClusterCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterCache.class);
  private static final String WATCH_PREFIX = "/wharf/";
  static final List<String> PREFIXES = List.of(ResourceKeys.prefix(ResourceType.SERVICE, null),
      ResourceKeys.prefix(ResourceType.INSTANCE, null), ResourceKeys.prefix(ResourceType.NODE, null),
      NodeLiveness.LEASE_PREFIX, ResourceKeys.prefix(ResourceType.JOB, null));

  /** One cached key: its store value and, for resources, the decoded record (null if undecodable). */
  public record Entry(KeyValue kv, Resource resource) {}

  /** A change seen by the cache; {@code before} or {@code after} is null for a create or delete. */
  public record Change(String key, Entry before, Entry after) {
    public Resource resource() {
      return after != null ? after.resource() : before.resource();
    }
  }

  private static final String INSTANCES = ResourceKeys.prefix(ResourceType.INSTANCE, null);
  private static final String NODES = ResourceKeys.prefix(ResourceType.NODE, null);

  /** The node list as built when node changes were counted up to {@code generation}. */
  private record NodeList(long generation, List<Node> nodes) {}

  private final Store store;
  private final InstanceDecoder instanceDecoder = new InstanceDecoder();
  private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
  private final List<Consumer<Change>> handlers = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private long revision; // guarded by lock: every change up to here is applied
  private Watch watch; // guarded by lock
  private volatile boolean closed;
  /** Counts node key changes (written under {@code lock}) so {@link #nodes} can reuse its list. */
  private volatile long nodeGeneration;
  private volatile NodeList nodeList = new NodeList(-1, List.of());

  public ClusterCache(Store store) {
    this.store = store;
  }

  /** Registers a handler; call before {@link #start}, whose initial list is reported as creates. */
  public void onChange(Consumer<Change> handler) {
    handlers.add(handler);
  }

  /** Lists and starts watching. */
  public void start() {
    relist();
  }

  private void relist() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (watch != null) {
        watch.close();
      }
      Map<String, KeyValue> listed = new HashMap<>();
      long listRevision = Long.MAX_VALUE;
      for (String prefix : PREFIXES) {
        var range = store.range(prefix);
        listRevision = Math.min(listRevision, range.revision());
        range.kvs().forEach(kv -> listed.put(kv.key(), kv));
      }
      // Apply the whole list before telling anyone: a handler queues keys whose workers read the
      // cache at once, and a half-filled cache (a service's instances listed but not the service)
      // would look like "service deleted" to them. This matters whenever controllers start on a
      // full store: a server restart, or a new leader taking over.
      List<Change> changes = new ArrayList<>();
      for (String key : new ArrayList<>(entries.keySet())) {
        if (!listed.containsKey(key)) {
          changes.add(new Change(key, entries.remove(key), null));
        }
      }
      for (KeyValue kv : listed.values()) {
        Entry before = entries.get(kv.key());
        if (before == null || before.kv().modRevision() != kv.modRevision()) {
          Entry after = entry(kv);
          entries.put(kv.key(), after);
          changes.add(new Change(kv.key(), before, after));
        }
      }
      changes.forEach(this::notify);
      revision = Math.max(revision, listRevision);
      advanced.signalAll();
      watch = store.watch(WATCH_PREFIX, listRevision + 1, new Listener());
    } finally {
      lock.unlock();
    }
  }

  private void relistSoon(String why) {
    if (closed) {
      return;
    }
    log.info("cluster cache relists: {}", why);
    Thread.ofVirtual().name("wharf-cache-relist").start(() -> {
      while (!closed) {
        try {
          relist();
          return;
        } catch (RuntimeException e) {
          log.warn("cluster cache relist failed; retrying in 1s: {}", e.toString());
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    });
  }

  private final class Listener implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      lock.lock();
      try {
        for (WatchEvent e : events) {
          apply(e);
          revision = Math.max(revision, e.revision());
        }
        advanced.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      relistSoon("watch compacted at " + compactRevision);
    }

    @Override
    public void onError(Throwable cause) {
      relistSoon("watch ended: " + cause.getMessage());
    }
  }

  private void apply(WatchEvent e) {
    String key = e.kv().key();
    if (PREFIXES.stream().noneMatch(key::startsWith)) {
      return;
    }
    Entry before = entries.get(key);
    if (before != null && before.kv().modRevision() >= e.revision()) {
      return; // already listed
    }
    if (e.type() == WatchEvent.Type.DELETE) {
      if (before != null) {
        entries.remove(key);
        notify(new Change(key, before, null));
      }
      return;
    }
    Entry after = entry(e.kv());
    entries.put(key, after);
    notify(new Change(key, before, after));
  }

  private void notify(Change change) {
    if (change.key().startsWith(NODES)) {
      nodeGeneration++; // before handlers run: one reading nodes() then sees the change
    }
    for (Consumer<Change> h : handlers) {
      try {
        h.accept(change);
      } catch (RuntimeException ex) {
        log.warn("cache handler failed on {}", change.key(), ex);
      }
    }
  }

  /** Called under {@code lock} (the decoder is not thread-safe). */
  private Entry entry(KeyValue kv) {
    if (kv.key().startsWith(NodeLiveness.LEASE_PREFIX)) {
      return new Entry(kv, null);
    }
    if (kv.key().startsWith(INSTANCES)) {
      Optional<Instance> i = instanceDecoder.decode(kv.value());
      if (i.isEmpty()) {
        log.warn("cluster cache cannot decode {}", kv.key());
        return new Entry(kv, null);
      }
      return new Entry(kv, i.get().withMetadata(i.get().metadata().withRevision(kv.modRevision())));
    }
    Optional<ResourceKeys.Address> address = ResourceKeys.parse(kv.key());
    Kind kind = address.flatMap(a -> Kind.parse(a.type().kind())).orElse(null);
    if (kind == null) {
      return new Entry(kv, null);
    }
    Decoded<Resource> decoded = ResourceCodec.fromJson(kind, kv.value());
    if (!decoded.ok()) {
      log.warn("cluster cache cannot decode {}: {}", kv.key(), decoded.problems());
      return new Entry(kv, null);
    }
    Resource r = decoded.value();
    return new Entry(kv, r.withMetadata(r.metadata().withRevision(kv.modRevision())));
  }

  /** The revision up to which every change has been applied. */
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the cache has applied every change up to {@code target} (a controller calls it
   * with the revision of its own write, so its next look sees that write). False on timeout.
   */
  public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (revision < target) {
        if (left <= 0 || closed) {
          return false;
        }
        left = advanced.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the cache has caught up with the store as of now. */
  public boolean awaitCurrent(Duration timeout) throws InterruptedException {
    return awaitRevision(store.revision(), timeout);
  }

  public Optional<Service> service(String namespace, String name) {
    return typed(ResourceKeys.key(ResourceType.SERVICE, namespace, name), Service.class);
  }

  public Optional<Instance> instance(String namespace, String name) {
    return typed(ResourceKeys.key(ResourceType.INSTANCE, namespace, name), Instance.class);
  }

  public Optional<Node> node(String name) {
    return typed(ResourceKeys.key(ResourceType.NODE, null, name), Node.class);
  }

  public boolean leasePresent(String node) {
    return entries.containsKey(NodeLiveness.leaseKey(node));
  }

  public List<Service> services() {
    return all(ResourceKeys.prefix(ResourceType.SERVICE, null), Service.class);
  }

  public List<Instance> instances() {
    return all(ResourceKeys.prefix(ResourceType.INSTANCE, null), Instance.class);
  }

  /**
   * The instances a service owns, found by their key prefix (instance names start with the
   * service's name, see {@code ServiceController.instanceName}), not by scanning every instance.
   */
  public List<Instance> instancesOf(String namespace, String service) {
    return ownedBy(Kind.SERVICE, namespace, service);
  }

  /** The instances a job owns, found by their key prefix as {@link #instancesOf} does. */
  public List<Instance> jobInstancesOf(String namespace, String job) {
    return ownedBy(Kind.JOB, namespace, job);
  }

  public Optional<Job> job(String namespace, String name) {
    return typed(ResourceKeys.key(ResourceType.JOB, namespace, name), Job.class);
  }

  public List<Job> jobs() {
    return all(ResourceKeys.prefix(ResourceType.JOB, null), Job.class);
  }

  private List<Instance> ownedBy(Kind kind, String namespace, String service) {
    String base = service.length() > 54 ? service.substring(0, 54) : service;
    String prefix = ResourceKeys.key(ResourceType.INSTANCE, namespace, base);
    List<Instance> out = new ArrayList<>();
    for (Entry e : entries.subMap(prefix, prefix + Character.MAX_VALUE).values()) {
      if (e.resource() instanceof Instance i && i.spec().owner().kind() == kind
          && namespace.equals(i.spec().owner().namespace()) && service.equals(i.spec().owner().name())) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Every node, as an unmodifiable list shared by callers until a node changes (services read
   * it on every placement pass). The generation is read before the list is built, so a list is
   * never reused past a change it may not show.
   */
  public List<Node> nodes() {
    long generation = nodeGeneration;
    NodeList cached = nodeList;
    if (cached.generation() == generation) {
      return cached.nodes();
    }
    List<Node> nodes = List.copyOf(all(NODES, Node.class));
    nodeList = new NodeList(generation, nodes);
    return nodes;
  }

  private <T extends Resource> Optional<T> typed(String key, Class<T> type) {
    Entry e = entries.get(key);
    return e == null || !type.isInstance(e.resource()) ? Optional.empty() : Optional.of(type.cast(e.resource()));
  }

  private <T extends Resource> List<T> all(String prefix, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Entry e : entries.subMap(prefix, prefix + Character.MAX_VALUE).values()) {
      if (type.isInstance(e.resource())) {
        out.add(type.cast(e.resource()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      if (watch != null) {
        watch.close();
      }
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
