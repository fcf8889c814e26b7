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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers' shared, read-only view of the store (an informer): services, jobs, instances,
 * nodes and node liveness keys, decoded once into immutable model records. The list/watch/relist
 * loop is an {@link Informer}: it lists each prefix, then follows ONE store watch on
 * {@code /wharf/}; a compacted or broken watch makes it relist and tell handlers about every
 * difference, so no change is ever missed for good.
 *
 * <p>Handlers ({@link #onChange}) run on the watch's delivery thread and must only queue keys.
 * Thread safety: reads are lock-free from a concurrent map of immutable entries; changes are
 * applied by one thread at a time under the informer's lock, which {@link #awaitRevision} waits on.
 */
public final class ClusterCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterCache.class);
  static final List<String> PREFIXES = List.of(ResourceKeys.prefix(ResourceType.SERVICE, null),
      ResourceKeys.prefix(ResourceType.INSTANCE, null), ResourceKeys.prefix(ResourceType.NODE, null),
      NodeLiveness.LEASE_PREFIX, ResourceKeys.prefix(ResourceType.JOB, null),
      ResourceKeys.prefix(ResourceType.CONFIG, null), ResourceKeys.prefix(ResourceType.SECRET, null));

  /** One cached key: its store value and, for resources, the decoded record (null if undecodable). */
  public record Entry(KeyValue kv, Resource resource) implements Informer.Versioned {
    @Override
    public long modRevision() {
      return kv.modRevision();
    }
  }

  /** A change seen by the cache; {@code before} or {@code after} is null for a create or delete. */
  public record Change(String key, Entry before, Entry after) {
    public Resource resource() {
      return after != null ? after.resource() : before.resource();
    }
  }

  private static final String INSTANCES = ResourceKeys.prefix(ResourceType.INSTANCE, null);
  private static final String NODES = ResourceKeys.prefix(ResourceType.NODE, null);
  private static final String CONFIGS = ResourceKeys.prefix(ResourceType.CONFIG, null);
  private static final String SECRETS = ResourceKeys.prefix(ResourceType.SECRET, null);

  /** The node list as built when node changes were counted up to {@code generation}. */
  private record NodeList(long generation, List<Node> nodes) {}

  private final InstanceDecoder instanceDecoder = new InstanceDecoder(); // used under the informer's lock
  private final Informer<Entry> informer;
  /** Counts node key changes (written under the informer's lock) so {@link #nodes} can reuse its list. */
  private volatile long nodeGeneration;
  private volatile NodeList nodeList = new NodeList(-1, List.of());

  public ClusterCache(Store store) {
    this.informer = new Informer<>("cluster cache", store, PREFIXES, this::entry);
    informer.onChange((key, before, after) -> {
      if (key.startsWith(NODES)) {
        nodeGeneration++; // before handlers run: one reading nodes() then sees the change
      }
    });
  }

  /** Registers a handler; call before {@link #start}, whose initial list is reported as creates. */
  public void onChange(Consumer<Change> handler) {
    informer.onChange((key, before, after) -> handler.accept(new Change(key, before, after)));
  }

  /** Lists and starts watching. */
  public void start() {
    informer.start();
  }

  /** Called under the informer's lock (the decoder is not thread-safe). */
  private Entry entry(KeyValue kv) {
    if (kv.key().startsWith(NodeLiveness.LEASE_PREFIX) || kv.key().startsWith(CONFIGS)
        || kv.key().startsWith(SECRETS)) {
      return new Entry(kv, null); // configs and secrets: only their stored revision and bytes are used
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
    return informer.revision();
  }

  /**
   * Waits until the cache has applied every change up to {@code target} (a controller calls it
   * with the revision of its own write, so its next look sees that write). False on timeout.
   */
  public boolean awaitRevision(long target, Duration timeout) throws InterruptedException {
    return informer.awaitRevision(target, timeout);
  }

  /** Waits until the cache has caught up with the store as of now. */
  public boolean awaitCurrent(Duration timeout) throws InterruptedException {
    return informer.awaitCurrent(timeout);
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
    return informer.contains(NodeLiveness.leaseKey(node));
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

  /**
   * A config ({@code secret} false) or secret as stored: its revision and its bytes (a secret's
   * values sealed, never opened here). Empty when it does not exist.
   */
  public Optional<KeyValue> input(boolean secret, String namespace, String name) {
    Entry e = informer.get(ResourceKeys.key(secret ? ResourceType.SECRET : ResourceType.CONFIG, namespace, name));
    return e == null ? Optional.empty() : Optional.of(e.kv());
  }

  /** True when {@code key} is a config's or secret's. */
  public static boolean isInput(String key) {
    return key.startsWith(CONFIGS) || key.startsWith(SECRETS);
  }

  public List<Job> jobs() {
    return all(ResourceKeys.prefix(ResourceType.JOB, null), Job.class);
  }

  private List<Instance> ownedBy(Kind kind, String namespace, String service) {
    String base = service.length() > 54 ? service.substring(0, 54) : service;
    String prefix = ResourceKeys.key(ResourceType.INSTANCE, namespace, base);
    List<Instance> out = new ArrayList<>();
    for (Entry e : informer.under(prefix)) {
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
    Entry e = informer.get(key);
    return e == null || !type.isInstance(e.resource()) ? Optional.empty() : Optional.of(type.cast(e.resource()));
  }

  private <T extends Resource> List<T> all(String prefix, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Entry e : informer.under(prefix)) {
      if (type.isInstance(e.resource())) {
        out.add(type.cast(e.resource()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    informer.close();
  }
}
