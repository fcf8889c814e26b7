package io.wharf.client.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientException;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Route;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Follows routes, services, instances, nodes and external endpoints of every namespace (list, then watch from the
 * list's revision) and hands {@code listener} a fresh {@link DiscoverySnapshot} after the
 * initial list and after every change. A compacted watch lists again.
 *
 * <p>Thread safety: the listener is called on the watch's thread, one call at a time; the
 * objects live in maps guarded by one lock. Closing stops the watch.
 */
public final class DiscoveryWatch implements AutoCloseable {
  private static final System.Logger log = System.getLogger(DiscoveryWatch.class.getName());
  private static final List<Kind> KINDS = List.of(Kind.ROUTE, Kind.SERVICE, Kind.INSTANCE, Kind.NODE, Kind.ENDPOINT);

  private final WharfClient client;
  private final Consumer<DiscoverySnapshot> listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Kind, Map<String, Resource>> objects = new HashMap<>();
  private WatchStream stream; // guarded by lock
  private boolean closed; // guarded by lock
  private long revision; // guarded by lock

  private DiscoveryWatch(WharfClient client, Consumer<DiscoverySnapshot> listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Lists (blocking: a server error is thrown) and starts watching. */
  public static DiscoveryWatch start(WharfClient client, Consumer<DiscoverySnapshot> listener) {
    DiscoveryWatch w = new DiscoveryWatch(client, listener);
    w.relist();
    return w;
  }

  private void relist() {
    long from = Long.MAX_VALUE;
    Map<Kind, Map<String, Resource>> fresh = new HashMap<>();
    for (Kind kind : KINDS) {
      Map<String, Resource> byKey = new HashMap<>();
      ListOptions page = ListOptions.ALL;
      long listed = -1;
      while (true) {
        ResourceList list = client.list(kind.plural(), page);
        if (listed < 0) {
          listed = list.revision();
        }
        for (JsonNode item : list.items()) {
          Resource r = decode(kind, item);
          byKey.put(key(r), r);
        }
        if (!list.hasMore()) {
          break;
        }
        page = page.withContinue(list.continueToken());
      }
      fresh.put(kind, byKey);
      from = Math.min(from, listed);
    }
    DiscoverySnapshot snapshot;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      objects.clear();
      objects.putAll(fresh);
      revision = from;
      snapshot = snapshot();
      List<String> plurals = KINDS.stream().map(Kind::plural).toList();
      stream = client.watch(new WatchRequest(plurals, null, from + 1), new Listener());
    } finally {
      lock.unlock();
    }
    listener.accept(snapshot);
  }

  private final class Listener implements WatchListener {
    @Override
    public void onEvent(WatchEvent event) {
      Kind kind = Kind.parse(event.kind()).orElse(null);
      if (kind == null || !KINDS.contains(kind)) {
        return;
      }
      Resource r = decode(kind, event.object());
      DiscoverySnapshot snapshot;
      lock.lock();
      try {
        Map<String, Resource> byKey = objects.computeIfAbsent(kind, k -> new HashMap<>());
        if (event.isDelete()) {
          byKey.remove(key(r));
        } else {
          byKey.put(key(r), r);
        }
        revision = event.revision();
        snapshot = snapshot();
      } finally {
        lock.unlock();
      }
      listener.accept(snapshot);
    }

    @Override
    public void onCompacted(long compactRevision) {
      log.log(System.Logger.Level.INFO, "discovery watch compacted at " + compactRevision + "; listing again");
      Thread.ofVirtual().name("wharf-discovery-relist").start(DiscoveryWatch.this::relistUntilDone);
    }

    @Override
    public void onClosed(Throwable error) {
      if (error != null) {
        log.log(System.Logger.Level.WARNING, "discovery watch ended: " + error + "; listing again");
        Thread.ofVirtual().name("wharf-discovery-relist").start(DiscoveryWatch.this::relistUntilDone);
      }
    }
  }

  private void relistUntilDone() {
    long backoff = 200;
    while (true) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        relist();
        return;
      } catch (RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "discovery relist failed: " + e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private DiscoverySnapshot snapshot() {
    List<Route> routes = new ArrayList<>();
    Map<String, Service> services = new HashMap<>();
    List<Instance> instances = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    List<io.wharf.model.Endpoint> external = new ArrayList<>();
    objects.getOrDefault(Kind.ENDPOINT, Map.of()).values().forEach(r -> external.add((io.wharf.model.Endpoint) r));
    objects.getOrDefault(Kind.ROUTE, Map.of()).values().forEach(r -> routes.add((Route) r));
    objects.getOrDefault(Kind.SERVICE, Map.of()).forEach((k, r) -> services.put(k, (Service) r));
    objects.getOrDefault(Kind.INSTANCE, Map.of()).values().forEach(r -> instances.add((Instance) r));
    objects.getOrDefault(Kind.NODE, Map.of()).values().forEach(r -> nodes.add((Node) r));
    return new DiscoverySnapshot(revision, routes, services, ReadyEndpoints.of(services.values(), instances, nodes, external));
  }

  private static String key(Resource r) {
    return r.metadata().namespace() == null ? r.metadata().name()
        : r.metadata().namespace() + "/" + r.metadata().name();
  }

  private static Resource decode(Kind kind, JsonNode json) {
    byte[] bytes;
    try {
      bytes = ResourceCodec.json().writeValueAsBytes(json);
    } catch (java.io.IOException e) {
      throw new ClientException("cannot re-encode a watched object: " + e.getMessage(), e);
    }
    Decoded<Resource> decoded = ResourceCodec.fromJson(kind, bytes);
    if (!decoded.ok()) {
      throw new ClientException("a watched " + kind.displayName() + " does not decode: "
          + decoded.problems().stream().map(p -> p.path() + ": " + p.reason()).toList());
    }
    return decoded.value();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (stream != null) {
        stream.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
