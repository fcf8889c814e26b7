package io.wharf.dns.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.dns.records.DnsRecords;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link DnsRecords} snapshot in step with the cluster: lists services, instances, nodes
 * and external endpoints, then follows them with one watch from the listing's revision + 1, and after every change
 * hands a fresh snapshot ({@link ReadyEndpoints#build}) to {@code sink}. A compacted revision or a
 * watch the server ended starts over with a new listing (with backoff while the server is
 * unreachable); a dropped connection is resumed by the watch itself.
 *
 * <p>Threads: one virtual thread runs list-then-watch; watch events update four concurrent maps
 * on the watch's thread and wake the builder, a second virtual thread that builds snapshots. A
 * burst of changes (one transaction) wakes it once or twice, not once per change; a change is in
 * the snapshot handed over next, within milliseconds. {@code sink} is called from the builder
 * thread only, one snapshot at a time, and only when the answers differ from the last snapshot's
 * (so the SOA serial is the revision of the last change that mattered).
 */
public final class ClusterFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterFeed.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final List<String> KINDS = List.of("services", "instances", "nodes", "endpoints");

  private final WharfClient client;
  private final Consumer<DnsRecords> sink;
  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final Map<String, io.wharf.model.Endpoint> external = new ConcurrentHashMap<>();
  private final Semaphore changed = new Semaphore(0);
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private volatile long revision;
  private final Thread follower;
  private final Thread builder;

  private ClusterFeed(WharfClient client, Consumer<DnsRecords> sink) {
    this.client = client;
    this.sink = sink;
    this.follower = Thread.ofVirtual().name("dns-feed").unstarted(this::follow);
    this.builder = Thread.ofVirtual().name("dns-feed-build").unstarted(this::buildLoop);
  }

  /** Starts following; {@code sink} receives the first snapshot once the first listing is read. */
  public static ClusterFeed start(WharfClient client, Consumer<DnsRecords> sink) {
    ClusterFeed feed = new ClusterFeed(client, sink);
    feed.builder.start();
    feed.follower.start();
    return feed;
  }

  /** Waits until the first snapshot was handed to the sink; true when it was. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void follow() {
    long backoff = 200;
    while (!closed.isDone()) {
      try {
        long listed = relist();
        backoff = 200;
        var ended = new CompletableFuture<Throwable>();
        try (WatchStream ignored = client.watch(new WatchRequest(KINDS, null, listed + 1), listener(ended))) {
          CompletableFuture.anyOf(ended, closed).join();
        }
        if (closed.isDone()) {
          return;
        }
        Throwable error = ended.getNow(null);
        log.warn("DNS feed watch ended{}; listing again", error == null ? "" : ": " + error.getMessage());
      } catch (RuntimeException e) {
        log.warn("DNS feed cannot read the cluster ({}); retrying in {} ms", e.getMessage(), backoff);
        try {
          closed.get(backoff, TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException timeout) {
          backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        } catch (Exception interrupted) {
          return;
        }
      }
    }
  }

  /** Lists the three kinds; returns the lowest page revision (watching from there never misses). */
  private long relist() {
    Map<String, Service> s = new HashMap<>();
    Map<String, Instance> i = new HashMap<>();
    Map<String, Node> n = new HashMap<>();
    Map<String, io.wharf.model.Endpoint> e = new HashMap<>();
    long lowest = Long.MAX_VALUE;
    for (String plural : KINDS) {
      ListOptions page = ListOptions.ALL;
      while (true) {
        ResourceList list = client.list(plural, page);
        lowest = Math.min(lowest, list.revision());
        for (JsonNode item : list.items()) {
          switch (decode(kindOf(plural), item)) {
            case Service v -> s.put(key(v), v);
            case Instance v -> i.put(key(v), v);
            case Node v -> n.put(key(v), v);
            case io.wharf.model.Endpoint v -> e.put(key(v), v);
            case null, default -> { }
          }
        }
        if (!list.hasMore()) {
          break;
        }
        page = page.withContinue(list.continueToken());
      }
    }
    replace(services, s);
    replace(instances, i);
    replace(nodes, n);
    replace(external, e);
    revision = lowest;
    changed.release();
    return lowest;
  }

  private static <V> void replace(Map<String, V> target, Map<String, V> fresh) {
    target.keySet().retainAll(fresh.keySet());
    target.putAll(fresh);
  }

  private WatchListener listener(CompletableFuture<Throwable> ended) {
    return new WatchListener() {
      @Override
      public void onEvent(WatchEvent event) {
        Kind kind = Kind.parse(event.kind()).orElse(null);
        Map<String, ? extends Resource> target = switch (kind) {
          case SERVICE -> services;
          case INSTANCE -> instances;
          case NODE -> nodes;
          case ENDPOINT -> external;
          case null, default -> null;
        };
        if (target == null) {
          return;
        }
        JsonNode meta = event.object().path("metadata");
        String key = (meta.path("namespace").isTextual() ? meta.path("namespace").asText() : "") + "/"
            + meta.path("name").asText();
        if (event.isDelete()) {
          target.remove(key);
        } else {
          switch (decode(kind, event.object())) {
            case Service v -> services.put(key, v);
            case Instance v -> instances.put(key, v);
            case Node v -> nodes.put(key, v);
            case io.wharf.model.Endpoint v -> external.put(key, v);
            case null, default -> { }
          }
        }
        revision = event.revision();
        changed.release();
      }

      @Override
      public void onCompacted(long compactRevision) {
        ended.complete(new IllegalStateException("revision compacted at " + compactRevision));
      }

      @Override
      public void onClosed(Throwable error) {
        ended.complete(error);
      }
    };
  }

  private void buildLoop() {
    DnsRecords last = null;
    try {
      while (!closed.isDone()) {
        changed.acquire();
        changed.drainPermits();
        try {
          DnsRecords next = ReadyEndpoints.build(revision, services.values(), instances.values(), nodes.values(),
              external.values());
          // Most changes (heartbeats, restarts counted, unready instances changing) leave the
          // answers as they were: skip re-encoding the zone for them.
          if (last == null || !last.services().equals(next.services())) {
            sink.accept(next);
            last = next;
          }
          synced.countDown();
        } catch (RuntimeException e) {
          log.error("building DNS records failed", e);
        }
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  private static Kind kindOf(String plural) {
    return switch (plural) {
      case "services" -> Kind.SERVICE;
      case "instances" -> Kind.INSTANCE;
      case "endpoints" -> Kind.ENDPOINT;
      default -> Kind.NODE;
    };
  }

  private static String key(Resource r) {
    String namespace = r.metadata().namespace();
    return (namespace == null ? "" : namespace) + "/" + r.metadata().name();
  }

  private static Resource decode(Kind kind, JsonNode json) {
    try {
      Decoded<Resource> d = ResourceCodec.fromJson(kind, ResourceCodec.json().writeValueAsBytes(json));
      if (d.ok()) {
        return d.value();
      }
      log.warn("DNS feed ignores a {} that does not decode: {}", kind.displayName(), d.problems());
    } catch (IOException e) {
      log.warn("DNS feed ignores an unreadable {}", kind.displayName(), e);
    }
    return null;
  }

  @Override
  public void close() {
    closed.complete(null);
    builder.interrupt();
    try {
      follower.join(Duration.ofSeconds(5));
      builder.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
