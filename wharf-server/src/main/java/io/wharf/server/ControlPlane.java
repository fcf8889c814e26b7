package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.api.ApiServer;
import io.wharf.server.audit.AuditPruner;
import io.wharf.server.audit.AuditReader;
import io.wharf.server.audit.AuditRecorder;
import io.wharf.server.audit.AuditSettings;
import io.wharf.server.audit.AuditTrail;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.identity.ApiTokens;
import io.wharf.server.auth.identity.AuthCache;
import io.wharf.server.auth.identity.AuthRecords;
import io.wharf.server.auth.identity.Authorizer;
import io.wharf.server.auth.identity.Bootstrap;
import io.wharf.server.auth.identity.InternalTokens;
import io.wharf.server.auth.identity.PrincipalRecord;
import io.wharf.server.auth.jwt.SigningKeys;
import io.wharf.server.auth.login.LoginAssembly;
import io.wharf.server.auth.login.UserCredentials;
import io.wharf.server.controller.Controllers;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventLog;
import io.wharf.server.events.EventPruner;
import io.wharf.server.events.EventType;
import io.wharf.server.events.InvolvedObject;
import io.wharf.server.leader.LeaderElection;
import io.wharf.server.leader.NotLeaderException;
import io.wharf.server.leader.Term;
import io.wharf.server.members.ServerMember;
import io.wharf.server.members.ServerMembership;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.secrets.KeyRotation;
import io.wharf.server.secrets.SealedKeyMaterial;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.server.stack.StackApplier;
import io.wharf.server.stack.StackPlanner;
import io.wharf.server.tls.ClientCertificateAuthenticator;
import io.wharf.server.tls.ClusterCa;
import io.wharf.server.tls.ServerCertificateRenewal;
import io.wharf.server.tls.ServerTls;
import io.wharf.server.tls.TlsOptions;
import io.wharf.server.watch.WatchHub;
import io.wharf.store.Store;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of one server process, wired by hand: registry and events over the store,
 * the watch hub, stack planning, and the HTTP API, which every server serves; and the leader's
 * duties — the controllers and the event pruner — which run only while this server is the
 * elected leader ({@link LeaderElection}). Start with {@link #start}; {@link #close} stops it in
 * reverse order. The store belongs to the caller and is not closed here.
 *
 * <p>The controllers write through their own {@link ChangeWriter} whose transactions carry the
 * leader's fence (the leader key's revision), so a server that lost leadership — even one paused
 * past its lease — cannot commit a controller decision.
 */
public final class ControlPlane implements AutoCloseable {
  /** How many events are kept; older ones are pruned. */
  public static final long EVENT_RETENTION = 10_000;
  /** How often the API tokens' last-use times are written (coalesced: one write per used token). */
  static final Duration TOKEN_USE_FLUSH = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

  private final Store store;
  private final Tuning tuning;
  private final WatchHub hub;
  private final ApiServer api;
  private final LeaderElection election;
  private final ServerMembership membership;
  private final ChangeWriter writer;
  private final ResourceRegistry fencedRegistry;
  private final InstanceStatusReports fencedReports;
  private final ReentrantLock duties = new ReentrantLock();
  private Controllers controllers; // guarded by duties; null unless leader (and tuning turns them on)
  private EventPruner pruner; // guarded by duties; null unless leader
  private AuditPruner auditPruner; // guarded by duties; null unless leader
  private final AuditSettings audit;
  private final ObjectMapper json;
  private final URI apiAddress;
  private final ServerTls tls; // null: plain HTTP
  private final ServerCertificateRenewal certificateRenewal; // null: plain HTTP or a certificate the operator gave
  private final ApiTokens tokens;
  private final InternalTokens internalTokens = new InternalTokens();
  private final AuthRecords authRecords;
  private final AuthCache authCache;
  private final AuditRecorder auditRecorder;
  private final java.util.Optional<String> bootstrapToken;
  private final LoginAssembly login;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Where to listen ({@code port} 0 picks a free one), which store backend this is
   * ({@code "embedded"} or {@code "etcd"}, reported by {@code /v1/health}), and where the TLS
   * material comes from ({@code tls} null: plain HTTP).
   */
  public record Settings(String bindHost, int port, String storeKind, LoginAssembly.Settings login,
      String bootstrapToken, TlsOptions tls) {
    public Settings(String bindHost, int port, String storeKind, LoginAssembly.Settings login, String bootstrapToken) {
      this(bindHost, port, storeKind, login, bootstrapToken, null);
    }

    /** The same, serving HTTPS with the TLS material {@code options} describe (null: plain HTTP). */
    public Settings withTls(TlsOptions options) {
      return new Settings(bindHost, port, storeKind, login, bootstrapToken, options);
    }

    public Settings {
      Objects.requireNonNull(bindHost, "bindHost");
      Objects.requireNonNull(storeKind, "storeKind");
      Objects.requireNonNull(login, "login");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      if (bootstrapToken != null) {
        Bootstrap.validateGiven(bootstrapToken);
      }
    }

    /** Default login settings; a random bootstrap admin token on first start. */
    public Settings(String bindHost, int port, String storeKind) {
      this(bindHost, port, storeKind, LoginAssembly.Settings.DEFAULTS, null);
    }

    public Settings(String bindHost, int port, String storeKind, LoginAssembly.Settings login) {
      this(bindHost, port, storeKind, login, null);
    }

    /**
     * The same, bootstrapping an empty store with {@code token} as the admin token instead of a
     * random one (an operator's {@code WHARF_BOOTSTRAP_TOKEN}; tests); ignored once bootstrapped.
     */
    public Settings withBootstrapToken(String token) {
      return new Settings(bindHost, port, storeKind, login, token, tls);
    }

    public Settings withLogin(LoginAssembly.Settings login) {
      return new Settings(bindHost, port, storeKind, login, bootstrapToken, tls);
    }
  }

  /** Knobs tests and benchmarks may turn; {@link #DEFAULTS} otherwise. */
  public record Tuning(Duration keepAlive, int replayRevisions, int clientQueueRevisions, long eventRetention,
      Duration pruneInterval, InstantSource clock, Duration nodeTtl, boolean controllers, Duration leaderTtl) {
    /** How long a node's liveness lease lives without a heartbeat. */
    public static final Duration NODE_TTL = Duration.ofSeconds(15);
    /** How long the leader's lease lives without renewal: the longest a dead leader delays takeover. */
    public static final Duration LEADER_TTL = Duration.ofSeconds(10);
    public static final Tuning DEFAULTS = new Tuning(Duration.ofSeconds(15), 4096, 1024, EVENT_RETENTION,
        Duration.ofSeconds(30), InstantSource.system());

    public Tuning {
      Objects.requireNonNull(nodeTtl, "nodeTtl");
      Objects.requireNonNull(leaderTtl, "leaderTtl");
      if (nodeTtl.toMillis() < 1000) {
        throw new IllegalArgumentException("nodeTtl must be at least 1s, got " + nodeTtl);
      }
      if (leaderTtl.toMillis() < 1000) {
        throw new IllegalArgumentException("leaderTtl must be at least 1s, got " + leaderTtl);
      }
    }

    public Tuning(Duration keepAlive, int replayRevisions, int clientQueueRevisions, long eventRetention,
        Duration pruneInterval, InstantSource clock, Duration nodeTtl, boolean controllers) {
      this(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock, nodeTtl,
          controllers, LEADER_TTL);
    }

    /** The tuning before agents: default node TTL, controllers on. */
    public Tuning(Duration keepAlive, int replayRevisions, int clientQueueRevisions, long eventRetention,
        Duration pruneInterval, InstantSource clock) {
      this(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock, NODE_TTL, true,
          LEADER_TTL);
    }

    public Tuning withNodeTtl(Duration ttl) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock, ttl,
          controllers, leaderTtl);
    }

    public Tuning withControllers(boolean on) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock,
          nodeTtl, on, leaderTtl);
    }

    public Tuning withClock(InstantSource c) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, c,
          nodeTtl, controllers, leaderTtl);
    }

    public Tuning withLeaderTtl(Duration ttl) {
      return new Tuning(keepAlive, replayRevisions, clientQueueRevisions, eventRetention, pruneInterval, clock,
          nodeTtl, controllers, ttl);
    }
  }

  private ControlPlane(Settings settings, Store store, Tuning tuning, SecretSealer sealer, AuditSettings audit) {
    this.store = store;
    this.tuning = tuning;
    this.audit = audit;
    ObjectMapper json = ResourceCodec.json();
    this.json = json;
    EventLog events = new EventLog(store, json);
    AuditTrail trail = new AuditTrail(store, json);
    this.writer = new ChangeWriter(store, events, tuning.clock()).withAudit(trail);
    ResourceRegistry registry = new ResourceRegistry(store, json, writer, sealer);
    int sealed = new KeyRotation(registry, sealer).sealPlaintext();
    if (sealed > 0) {
      log.info("sealed {} secrets stored in plaintext by an earlier version with key {}", sealed,
          sealer.keyring().activeId());
    }
    // The server's own key material, sealed with the same keyring (plaintext from an earlier version at start).
    SealedKeyMaterial keyMaterial = new SealedKeyMaterial(store, json, sealer, List.of(SigningKeys.sealedLocation(),
        UserCredentials.sealedLocation(), ClusterCa.sealedLocation()));
    int sealedKeys = keyMaterial.sealPlaintext();
    if (sealedKeys > 0) {
      log.info("sealed {} signing keys, TOTP secrets or CA keys stored in plaintext by an earlier version with key {}",
          sealedKeys, sealer.keyring().activeId());
    }
    this.login = new LoginAssembly(settings.login(), registry, json, tuning.clock());
    login.start(); // the first signing key, in the background
    StackPlanner planner = new StackPlanner(registry);
    StackApplier applier = new StackApplier(registry, planner);
    // TLS material first: a bad --tls-* file fails the start before any thread is running.
    this.tls = settings.tls() == null ? null : ServerTls.prepare(settings.tls(), store, json,
        ServerTls.subjectAltNames(settings.bindHost(), settings.tls().extraSans()), tuning.clock().instant(), sealer);
    this.hub = new WatchHub(store, json, tuning.replayRevisions(), tuning.clientQueueRevisions());
    NodeLiveness liveness = new NodeLiveness(store, registry, tuning.nodeTtl());
    InstanceStatusReports reports = new InstanceStatusReports(store, registry);
    // The election is made after the API is up (its id is the API's address); the fence and the
    // leader route reach it through this holder.
    LeaderElection[] elected = new LeaderElection[1];
    ServerMembership[] members = new ServerMembership[1]; // likewise: its id is the API's address
    ChangeWriter fenced = writer.withFence(() -> elected[0].term().orElseThrow(() -> new NotLeaderException(elected[0].id())).fence());
    this.fencedRegistry = new ResourceRegistry(store, json, fenced, sealer);
    this.fencedReports = new InstanceStatusReports(store, fencedRegistry);
    // Authentication reads tokens, principals and roles from a watch-fed view (AuthCache).
    this.authCache = new AuthCache(store, json);
    authCache.start();
    this.authRecords = new AuthRecords(store, json, authCache);
    this.tokens = new ApiTokens(authRecords, tuning.clock(), TOKEN_USE_FLUSH);
    this.auditRecorder = new AuditRecorder(writer, trail, audit, json);
    ApiServer server;
    try {
      this.bootstrapToken = Bootstrap.run(authRecords, tuning.clock(), settings.bootstrapToken());
      server = new ApiServer(new ApiServer.Settings(settings.bindHost(), settings.port(), settings.storeKind(),
          tuning.keepAlive(), tls), store, registry, planner, applier, hub, liveness, reports, json,
          () -> elected[0].describe(json),
          () -> members[0].describe(json, elected[0].leader().map(io.wharf.server.leader.LeaderInfo::id)),
          new ApiServer.Security(authenticators(), authRecords, tokens,
              new Authorizer(authRecords), tuning.clock()), login, auditRecorder,
          new AuditReader(store, json), new KeyRotation(registry, sealer, keyMaterial));
    } catch (RuntimeException e) {
      auditRecorder.close();
      tokens.close();
      authCache.close();
      hub.close();
      throw e;
    }
    this.api = server;
    this.certificateRenewal = tls != null && tls.renewable()
        ? new ServerCertificateRenewal(tls, tuning.clock(), api::reloadTls) : null;
    String host = settings.bindHost().contains(":") ? "[" + settings.bindHost() + "]" : settings.bindHost();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    String scheme = tls == null ? "http" : "https";
    this.apiAddress = URI.create(scheme + "://" + host + ":" + api.port());
    // Servers are told apart by the address others reach them at: a wildcard bind is this
    // machine's name, not the loopback address every server would share.
    URI advertised = settings.bindHost().equals("0.0.0.0") || settings.bindHost().equals("::")
        ? URI.create(scheme + "://" + localHostName() + ":" + api.port()) : apiAddress;
    this.election = new LeaderElection(store, advertised.getAuthority(), advertised.toString(), tuning.leaderTtl(),
        tuning.clock(), settings.storeKind().equals("embedded"), new LeaderDuties());
    elected[0] = election;
    List<String> addresses = advertised.equals(apiAddress) ? List.of(apiAddress.toString())
        : List.of(advertised.toString(), apiAddress.toString());
    this.membership = new ServerMembership(store, new ServerMember(advertised.getAuthority(), addresses,
        ApiServer.VERSION, tuning.clock().instant(), tuning.clock().instant()), tuning.leaderTtl(), tuning.clock(),
        election.isSole());
    members[0] = membership;
    try {
      membership.start();
      election.start();
    } catch (RuntimeException e) {
      membership.close();
      if (certificateRenewal != null) {
        certificateRenewal.close();
      }
      api.close();
      auditRecorder.close();
      authCache.close();
      hub.close();
      throw e;
    }
  }

  /**
   * The authenticators the API asks, in order: this process's internal tokens, API tokens, signed
   * tokens (JWTs of {@code wharf login} and workload identity). (The client-certificate
   * authenticator of the TLS work joins here.)
   */
  private List<Authenticator> authenticators() {
    List<Authenticator> all = new java.util.ArrayList<>(List.of(internalTokens, tokens, login.authenticator()));
    clientCertificateAuthenticator().ifPresent(all::add); // agents' node certificates (mutual TLS)
    return List.copyOf(all);
  }

  /**
   * The admin token this start created on an empty store (print it once); empty when the store
   * was bootstrapped before, by this server or another.
   */
  public java.util.Optional<String> bootstrapToken() {
    return bootstrapToken;
  }

  /**
   * A token for a component inside this process (wharf dev's agent, DNS, gateway) acting as
   * {@code principal}, valid until this control plane stops and never stored. A principal that
   * is not a node is created holding {@code role} if it does not exist yet.
   */
  public String internalToken(Principal principal, String role) {
    if (principal.kind() != Principal.Kind.NODE && authRecords.principal(principal.id()).isEmpty()) {
      authRecords.createPrincipal(new PrincipalRecord(principal.id(), List.of(role), List.of(),
          tuning.clock().instant(), "system"));
    }
    return internalTokens.issue(principal);
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** Starts the controllers and the pruner on election; stops them (at once) on demotion. */
  private final class LeaderDuties implements LeaderElection.Duties {
    @Override
    public void elected(Term term) {
      duties.lock();
      try {
        pruner = new EventPruner(store, tuning.eventRetention(), tuning.pruneInterval());
        auditPruner = new AuditPruner(store, json, audit, tuning.clock());
        if (tuning.controllers()) {
          controllers = new Controllers(store, fencedRegistry, fencedReports, tuning.clock());
        }
      } catch (RuntimeException e) {
        stopDuties();
        throw e;
      } finally {
        duties.unlock();
      }
      record(fencedRegistry.writer(), "LeaderElected", "server " + election.id() + " (" + apiAddress
          + ") is the leader from revision " + term.revision());
    }

    @Override
    public void demoted(Term term, String reason) {
      duties.lock();
      try {
        stopDuties();
      } finally {
        duties.unlock();
      }
      record(writer, "LeaderLost", "server " + election.id() + " is no longer the leader: " + reason);
    }
  }

  private void stopDuties() {
    Controllers c = controllers;
    EventPruner p = pruner;
    AuditPruner a = auditPruner;
    controllers = null;
    pruner = null;
    auditPruner = null;
    if (a != null) {
      a.close();
    }
    if (c != null) {
      c.close();
    }
    if (p != null) {
      p.close();
    }
  }

  /** Records a leadership event on its own thread: the election must not wait for the store. */
  private void record(ChangeWriter through, String reason, String message) {
    if (election.isSole()) {
      return; // the only server there can be: nothing changes hands
    }
    Thread.ofVirtual().name("wharf-leader-event").start(() -> {
      try {
        through.write(now -> new ChangeWriter.Commit<>(List.of(), List.of(),
            List.of(new EventDraft(EventType.Updated, new InvolvedObject("Server", null, election.id()), reason,
                message)), revision -> revision));
      } catch (RuntimeException e) {
        log.info("could not record {} event: {}", reason, e.getMessage());
      }
    });
  }

  /** The login lane: signing keys, the JWT authenticator, credentials, logins, workload tokens. */
  public LoginAssembly login() {
    return login;
  }

  /** The election this server takes part in (who leads, whether this server does). */
  public LeaderElection election() {
    return election;
  }

  /** This server's entry in the list of servers, and that list ({@code GET /v1/servers}). */
  public ServerMembership membership() {
    return membership;
  }

  public static ControlPlane start(Settings settings, Store store) {
    return start(settings, store, Tuning.DEFAULTS);
  }

  /** Starts with secrets sealed by {@link SecretSealer#inMemory()} (tests and benchmarks). */
  public static ControlPlane start(Settings settings, Store store, Tuning tuning) {
    return start(settings, store, tuning, SecretSealer.inMemory());
  }

  /** Starts with secrets sealed by {@code sealer}'s keyring (its key file or environment variable). */
  public static ControlPlane start(Settings settings, Store store, Tuning tuning, SecretSealer sealer) {
    return start(settings, store, tuning, sealer, AuditSettings.DEFAULTS);
  }

  /** As {@link #start(Settings, Store, Tuning)} with the audit log's retention and scope. */
  public static ControlPlane start(Settings settings, Store store, Tuning tuning, AuditSettings audit) {
    return start(settings, store, tuning, SecretSealer.inMemory(), audit);
  }

  /** With both the secrets' sealer and the audit log's settings. */
  public static ControlPlane start(Settings settings, Store store, Tuning tuning, SecretSealer sealer,
      AuditSettings audit) {
    return new ControlPlane(settings, store, tuning, sealer, audit);
  }

  /** Where clients reach the API, e.g. {@code http://127.0.0.1:7070}. */
  public URI apiAddress() {
    return apiAddress;
  }

  public Store store() {
    return store;
  }

  /** The API's routes as {@code "METHOD /path"}. */
  public List<String> apiRoutes() {
    return api.routeTable().stream().map(r -> r.method().toUpperCase(java.util.Locale.ROOT) + " " + r.path()).toList();
  }

  /** This server's TLS (CA, certificate, {@code ca.crt} path); empty when it serves plain HTTP. */
  public java.util.Optional<ServerTls> tls() {
    return java.util.Optional.ofNullable(tls);
  }

  /**
   * The authenticator for agents' client certificates (node:NAME), for the authentication seam's
   * list; empty on plain HTTP.
   */
  public java.util.Optional<io.wharf.server.auth.Authenticator> clientCertificateAuthenticator() {
    return tls().map(t -> new ClientCertificateAuthenticator(t.ca().certificate(), tuning.clock()));
  }

  /** The watch-fed view of tokens, principals and roles that authenticates this server's calls. */
  public AuthCache authCache() {
    return authCache;
  }

  /** Every API route with the access it declares (the authorisation table of docs/api.md). */
  public List<io.wharf.server.api.RouteTable.Route> routes() {
    return api.routeTable();
  }

  /**
   * Ends open watch streams (so their requests finish), stops the certificate renewal and HTTP,
   * leaves the list of servers, steps down as leader (the controllers and the event pruner stop,
   * the leader key is revoked), then the hub's store watch. The store stays open. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    hub.endAll("server is shutting down");
    if (certificateRenewal != null) {
      certificateRenewal.close();
    }
    api.close();
    auditRecorder.close(); // the coalesced refusals' last windows
    tokens.close();
    authCache.close();
    membership.close(); // leaves the list of servers now rather than after its TTL
    election.close(); // steps down: stops the controllers and the pruner, hands leadership over
    hub.close();
  }
}
