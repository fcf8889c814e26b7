package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.api.ApiServer;
import io.wharf.server.controller.Controllers;
import io.wharf.server.events.EventLog;
import io.wharf.server.events.EventPruner;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.stack.StackApplier;
import io.wharf.server.stack.StackPlanner;
import io.wharf.server.watch.WatchHub;
import io.wharf.store.Store;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The control plane of one server process, wired by hand: registry and events over the store,
 * the watch hub, stack planning, and the HTTP API. Start with {@link #start}; {@link #close}
 * stops it in reverse order. The store belongs to the caller and is not closed here.
 */
public final class ControlPlane implements AutoCloseable {
  /** How many events are kept; older ones are pruned. */
  public static final long EVENT_RETENTION = 10_000;

  private final Store store;
  private final WatchHub hub;
  private final EventPruner pruner;
  private final ApiServer api;
  private final Controllers controllers; // null when tuning turns them off
  private final URI apiAddress;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Where to listen ({@code port} 0 picks a free one) and which store backend this is
   * ({@code "embedded"} or {@code "etcd"}, reported by {@code /v1/health}).
   */
  public record Settings(String bindHost, int port, String storeKind) {
    public Settings {
      Objects.requireNonNull(bindHost, "bindHost");
      Objects.requireNonNull(storeKind, "storeKind");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
    }
  }

  /** Knobs tests and benchmarks may turn; {@link #DEFAULTS} otherwise. */
  public record Tuning(Duration keepAlive, int replayRevisions, int clientQueueRevisions, long eventRetention,
      Duration pruneInterval, InstantSource clock, Duration nodeTtl, boolean controllers) {
    /** How long a node's liveness lease lives without a heartbeat. */
    public static final Duration NODE_TTL = Duration.ofSeconds(15);
    public static final Tuning DEFAULTS = new Tuning(Duration.ofSeconds(15), 4096, 1024, EVENT_RETENTION,
        Duration.ofSeconds(30), InstantSource.system());

    public Tuning {
      Objects.requireNonNull(nodeTtl, "nodeTtl");
      if (nodeTtl.toMillis() < 1000) {
        throw new IllegalArgumentException("nodeTtl must be at least 1s, got " + nodeTtl);
      }
    }

    /** The tuning before agents: default node TTL, controllers on. */
    public Tuning(Duration keepAlive, int replayRevisions, int clientQueueRevisions, long eventRetention,
        Duration pruneInterval, InstantSource clock) {
      this(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock, NODE_TTL, true);
    }

    public Tuning withNodeTtl(Duration ttl) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock, ttl,
          controllers);
    }

    public Tuning withControllers(boolean on) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock,
          nodeTtl, on);
    }
  }

  private ControlPlane(Settings settings, Store store, Tuning tuning) {
    this.store = store;
    ObjectMapper json = ResourceCodec.json();
    EventLog events = new EventLog(store, json);
    ChangeWriter writer = new ChangeWriter(store, events, tuning.clock());
    ResourceRegistry registry = new ResourceRegistry(store, json, writer);
    StackPlanner planner = new StackPlanner(registry);
    StackApplier applier = new StackApplier(registry, planner);
    this.hub = new WatchHub(store, json, tuning.replayRevisions(), tuning.clientQueueRevisions());
    this.pruner = new EventPruner(store, tuning.eventRetention(), tuning.pruneInterval());
    NodeLiveness liveness = new NodeLiveness(store, registry, tuning.nodeTtl());
    InstanceStatusReports reports = new InstanceStatusReports(store, registry);
    Controllers loops = null;
    ApiServer server;
    try {
      if (tuning.controllers()) {
        loops = new Controllers(store, registry, reports, tuning.clock());
      }
      server = new ApiServer(new ApiServer.Settings(settings.bindHost(), settings.port(), settings.storeKind(),
          tuning.keepAlive()), store, registry, planner, applier, hub, liveness, reports, json);
    } catch (RuntimeException e) {
      if (loops != null) {
        loops.close();
      }
      pruner.close();
      hub.close();
      throw e;
    }
    this.api = server;
    this.controllers = loops;
    String host = settings.bindHost().contains(":") ? "[" + settings.bindHost() + "]" : settings.bindHost();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    this.apiAddress = URI.create("http://" + host + ":" + api.port());
  }

  public static ControlPlane start(Settings settings, Store store) {
    return start(settings, store, Tuning.DEFAULTS);
  }

  public static ControlPlane start(Settings settings, Store store, Tuning tuning) {
    return new ControlPlane(settings, store, tuning);
  }

  /** Where clients reach the API, e.g. {@code http://127.0.0.1:7070}. */
  public URI apiAddress() {
    return apiAddress;
  }

  public Store store() {
    return store;
  }

  /**
   * Ends open watch streams (so their requests finish), stops HTTP, then the hub's store watch
   * and the event pruner. The store stays open. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    hub.endAll("server is shutting down");
    api.close();
    if (controllers != null) {
      controllers.close();
    }
    hub.close();
    pruner.close();
  }
}
