package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.wharf.server.controller.job.JobRuns;
import io.wharf.server.nodes.InstanceStatusReports;
import io.wharf.server.nodes.NodeLiveness;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.stack.StackApplier;
import io.wharf.server.stack.StackDeleter;
import io.wharf.server.stack.StackPlanner;
import io.wharf.server.tls.JoinTokens;
import io.wharf.server.tls.ServerTls;
import io.wharf.server.watch.WatchHub;
import io.wharf.store.Store;
import java.time.Duration;
import java.util.List;
import static io.wharf.server.api.Access.Scope.CLUSTER;
import static io.wharf.server.api.Access.Scope.PATH;
import static io.wharf.server.api.Access.Scope.QUERY;
import static io.wharf.server.api.Access.anonymous;
import static io.wharf.server.api.Access.authenticated;
import static io.wharf.server.api.Access.of;
import static io.wharf.server.api.Access.ofPath;
import static io.wharf.server.api.Access.perObject;
import static io.wharf.server.auth.policy.Verb.CREATE;
import static io.wharf.server.auth.policy.Verb.DELETE;
import static io.wharf.server.auth.policy.Verb.EXEC;
import static io.wharf.server.auth.policy.Verb.GET;
import static io.wharf.server.auth.policy.Verb.LIST;
import static io.wharf.server.auth.policy.Verb.UPDATE;

/**
 * The HTTP API of docs/api.md on Javalin (Jetty 12), every request on its own virtual thread.
 * The route table reads top to bottom here; handlers live in {@link ResourceRoutes},
 * {@link StackRoutes} and {@link WatchRoute}; every failure, including Javalin's own 404 and
 * 405, is rendered by {@link ErrorResponses}.
 */
public final class ApiServer implements AutoCloseable {
  private static final String RENDERED = ErrorResponses.RENDERED;
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private final Javalin app;
  private final WatchRoute watch;
  private volatile org.eclipse.jetty.server.ServerConnector https; // null: plain HTTP

  /**
   * What the server reports about itself on {@code /v1/health}, and its TLS ({@code tls} null:
   * plain HTTP).
   */
  public record Settings(String bindHost, int port, String storeKind, Duration keepAlive, ServerTls tls) {
    public Settings(String bindHost, int port, String storeKind, Duration keepAlive) {
      this(bindHost, port, storeKind, keepAlive, null);
    }
  }

  /**
   * How requests are authenticated and authorised: the authenticators asked in turn (assembled
   * where the server is built), the auth records and API tokens the {@code /v1/auth} routes manage,
   * and the authorizer that decides every route's permissions.
   */
  public record Security(List<io.wharf.server.auth.Authenticator> authenticators,
      io.wharf.server.auth.identity.AuthRecords records, io.wharf.server.auth.identity.ApiTokens tokens,
      io.wharf.server.auth.identity.Authorizer authorizer, java.time.InstantSource clock) {}

  private final RouteTable table = new RouteTable();

  public ApiServer(Settings settings, Store store, ResourceRegistry registry, StackPlanner planner,
      StackApplier applier, WatchHub hub, NodeLiveness liveness, InstanceStatusReports reports, ObjectMapper json,
      java.util.function.Supplier<Object> leader, java.util.function.Supplier<Object> servers, Security security,
      io.wharf.server.auth.login.LoginAssembly login,
      io.wharf.server.audit.AuditRecorder audit, io.wharf.server.audit.AuditReader auditLog,
      io.wharf.server.secrets.KeyRotation keyRotation) {
    ErrorResponses errors = new ErrorResponses(json);
    RequestBodies bodies = new RequestBodies(json);
    ResourceValidation validation = new ResourceValidation(json);
    ResourceRoutes resources = new ResourceRoutes(registry, bodies, validation, errors, json);
    AgentRoutes agents = new AgentRoutes(liveness, reports, bodies, validation, json);
    AgentProxy proxy = new AgentProxy(registry,
        new io.wharf.server.auth.jwt.AgentCallTokens(login.keys(), security.clock()));
    NodeRoutes nodes = new NodeRoutes(registry, bodies, json);
    JobRoutes jobs = new JobRoutes(new JobRuns(registry), json);
    RolloutRoutes rollouts = new RolloutRoutes(registry,
        new io.wharf.server.controller.rollout.RolloutActions(registry, java.time.InstantSource.system()), json);
    DiscoveryRoutes discovery = new DiscoveryRoutes(registry, json);
    AuthSeam seam = new AuthSeam(security.authenticators(), security.authorizer(), table);
    StackRoutes stacks = new StackRoutes(planner, applier, new StackDeleter(registry), bodies, errors, json, seam);
    AuthRoutes auth = new AuthRoutes(security.records(), security.tokens(), security.authorizer(), bodies, json,
        security.clock());
    WatchRoute watch = new WatchRoute(hub, settings.keepAlive(), seam);
    JoinRoutes joins = new JoinRoutes(settings.tls(), new JoinTokens(store, json, java.time.InstantSource.system()),
        bodies, json, java.time.InstantSource.system());
    this.watch = watch;
    this.app = Javalin.create(config -> {
      configure(config, settings);
      if (settings.tls() != null) {
        config.jetty.addConnector((server, http) -> {
          https = HttpsConnector.create(server, http, settings.tls(), settings.bindHost(), settings.port());
          return https;
        });
        config.routes.before(new CertificateRefresh(java.time.InstantSource.system())::check);
      }
      // Requests Jetty refuses itself (malformed request line or headers, URI too long) never
      // reach Javalin's handlers: render those in our JSON shape too, not as Jetty's HTML page.
      config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors(errors)));
      // Every mutating call gets an audit entry: in the transaction of its change, or appended
      // after a refusal (the seam's 401/403 included) before the answer is sent.
      config.routes.before(audit::before);
      config.routes.after(audit::after);
      config.routes.before(ApiServer::rejectBadQueryEncoding);
      config.routes.beforeMatched(seam::check);
      table.on(config);
      table.get("/v1/audit", of(LIST, AuditRoutes.KIND, CLUSTER), new AuditRoutes(auditLog, json,
          settings.keepAlive(), java.time.InstantSource.system())::serve);
      loginRoutes(table, seam, security.records(), new LoginRoutes(login, bodies, json));
      secretRoutes(table, new SecretRoutes(registry, keyRotation, json));
      joinRoutes(table, joins);
      routes(table, settings, store, resources, stacks, watch, agents, proxy, nodes, new CronRoutes(registry, json), jobs,
          rollouts, discovery, auth, json, leader, servers);
      config.routes.exception(Exception.class, (e, ctx) -> {
        errors.render(ctx, errors.of(e));
      });
      for (int status : List.of(400, 404, 405, 413, 415, 500)) {
        config.routes.error(status, ctx -> {
          if (ctx.attribute(RENDERED) == null) {
            errors.render(ctx, ErrorResponses.fromStatus(status, null));
          }
        });
      }
    });
    app.start(settings.bindHost(), settings.port());
  }

  private static void configure(JavalinConfig config, Settings settings) {
    config.concurrency.useVirtualThreads = true;
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = RequestBodies.MAX_BYTES;
    config.http.compressionStrategy = CompressionStrategy.NONE;
    config.router.ignoreTrailingSlashes = true;
  }

  /**
   * The login lane's routes ({@link LoginRoutes}), in the same table. The login and the public
   * signing keys (JWKS, which gateways and services fetch to check tokens) are anonymous; setting a
   * user's password or TOTP needs {@code update Principal}, that the user exists, and that the
   * caller holds everything the user holds (else it could log in as someone more powerful); an
   * instance's workload token is for the agent of its node only (checked by the lane).
   */
  private static void loginRoutes(RouteTable t, AuthSeam seam, io.wharf.server.auth.identity.AuthRecords records,
      LoginRoutes login) {
    t.post("/v1/auth/login", anonymous(), login::login);
    t.get("/v1/auth/jwks", anonymous(), login::jwks);
    t.post("/v1/auth/keys/rotate", of(UPDATE, "Cluster", CLUSTER), login::rotate);
    t.put("/v1/auth/users/{user}/password", of(UPDATE, "Principal", CLUSTER),
        existingUser(seam, records, login::setPassword));
    t.post("/v1/auth/users/{user}/totp", of(UPDATE, "Principal", CLUSTER),
        existingUser(seam, records, login::enrolTotp));
    t.delete("/v1/auth/users/{user}/totp", of(UPDATE, "Principal", CLUSTER),
        existingUser(seam, records, login::removeTotp));
    t.post("/v1/namespaces/{ns}/instances/{name}/token", of(GET, "Instance", PATH), login::workloadToken);
  }

  /** A user's credentials change only for an existing user, and only by someone holding all it holds. */
  private static Handler existingUser(AuthSeam seam, io.wharf.server.auth.identity.AuthRecords records,
      Handler handler) {
    return ctx -> {
      String name = ctx.pathParam("user");
      var user = new io.wharf.server.auth.Principal(io.wharf.server.auth.Principal.Kind.USER, name);
      // (a malformed name goes on to the handler, which refuses it with 400)
      if (AuthRoutes.validPrincipal(user.id()) && records.principal(user.id()).isEmpty()) {
        throw ApiError.notFound("principal \"" + user.id() + "\" not found; create it first (wharf user create "
            + name + ")").failure();
      }
      seam.authorizer().requireHoldsAllOf(io.wharf.server.auth.RequestPrincipal.of(ctx), user,
          "set the credentials of");
      handler.handle(ctx);
    };
  }

  /**
   * Agents joining ({@link JoinRoutes}): {@code /v1/agent/join} is anonymous (it checks the join
   * token, or the node's current certificate, itself); join tokens are managed like other kinds.
   */
  private static void joinRoutes(RouteTable t, JoinRoutes joins) {
    t.post("/v1/agent/join", anonymous(), joins::join);
    t.post("/v1/join-tokens", of(CREATE, "Token", CLUSTER), joins::create);
    t.get("/v1/join-tokens", of(LIST, "Token", CLUSTER), joins::list);
    t.delete("/v1/join-tokens/{id}", of(DELETE, "Token", CLUSTER), joins::revoke);
  }

  /**
   * The route table: method, path, what the caller needs ({@link Access}; checked by
   * {@link AuthSeam} before the handler), handler. Javalin matches in this order, so the fixed
   * paths and actions come before the generic {@code {plural}} routes they would be swallowed by.
   * docs/api.md "Authorisation" shows the same table.
   */
  /**
   * A secret's values ({@link SecretRoutes}): the one read that shows them needs {@code reveal} on
   * Secret in the namespace; re-sealing every secret touches all namespaces.
   */
  private static void secretRoutes(RouteTable t, SecretRoutes secrets) {
    t.get("/v1/namespaces/{ns}/secrets/{name}/value", of(io.wharf.server.auth.policy.Verb.REVEAL, "Secret", PATH),
        secrets::reveal);
    // A revision a service's template took (TemplateInputs keeps its snapshot): what agents read.
    t.get("/v1/namespaces/{ns}/configs/{name}/revisions/{revision}", of(GET, "Config", PATH),
        ctx -> secrets.revision(ctx, false));
    t.get("/v1/namespaces/{ns}/secrets/{name}/revisions/{revision}/value",
        of(io.wharf.server.auth.policy.Verb.REVEAL, "Secret", PATH), ctx -> secrets.revision(ctx, true));
    t.post("/v1/secrets/rotate-key", of(io.wharf.server.auth.policy.Verb.UPDATE, "Secret", CLUSTER),
        secrets::rotateKey);
  }

  private static void routes(RouteTable t, Settings settings, Store store, ResourceRoutes r, StackRoutes stacks,
      WatchRoute watch, AgentRoutes agents, AgentProxy proxy, NodeRoutes nodes, CronRoutes cron, JobRoutes jobs,
      RolloutRoutes rollouts, DiscoveryRoutes discovery, AuthRoutes auth, ObjectMapper json,
      java.util.function.Supplier<Object> leader, java.util.function.Supplier<Object> servers) {
    t.get("/v1/health", anonymous(), ctx -> health(ctx, settings, store, json));
    t.get("/v1/version", anonymous(),
        ctx -> send(ctx, json, json.createObjectNode().put("version", VERSION).put("api", "v1")));
    t.get("/v1/auth/whoami", authenticated(), auth::whoami);
    t.get("/v1/auth/principals", of(LIST, "Principal", CLUSTER), auth::listPrincipals);
    t.post("/v1/auth/principals", of(CREATE, "Principal", CLUSTER), auth::createPrincipal);
    t.get("/v1/auth/principals/<id>", of(GET, "Principal", CLUSTER), auth::getPrincipal);
    t.delete("/v1/auth/principals/<id>", of(DELETE, "Principal", CLUSTER), auth::deletePrincipal);
    t.put("/v1/auth/grants/<id>", of(UPDATE, "Principal", CLUSTER), auth::replaceGrants);
    t.get("/v1/auth/roles", of(LIST, "Role", CLUSTER), auth::listRoles);
    t.post("/v1/auth/roles", of(CREATE, "Role", CLUSTER), auth::createRole);
    t.put("/v1/auth/roles/{name}", of(UPDATE, "Role", CLUSTER), auth::replaceRole);
    t.delete("/v1/auth/roles/{name}", of(DELETE, "Role", CLUSTER), auth::deleteRole);
    t.get("/v1/auth/tokens", of(LIST, "Token", CLUSTER), auth::listTokens);
    t.post("/v1/auth/tokens", of(CREATE, "Token", CLUSTER), auth::createToken);
    t.delete("/v1/auth/tokens/{id}", of(DELETE, "Token", CLUSTER), auth::revokeToken);

    t.post("/v1/nodes/{name}/drain", of(UPDATE, "Node", CLUSTER), nodes::drain);
    t.post("/v1/nodes/{name}/eligibility", of(UPDATE, "Node", CLUSTER), nodes::eligibility);
    t.get("/v1/node-usage", of(LIST, "Node", CLUSTER), nodes::usage);
    t.post("/v1/namespaces/{ns}/services/{name}/rebalance", of(UPDATE, "Service", PATH), nodes::rebalance);
    t.post("/v1/namespaces/{ns}/cronjobs/{name}/trigger", of(UPDATE, "CronJob", PATH), cron::trigger);
    t.post("/v1/namespaces/{ns}/cronjobs/{name}/suspend", of(UPDATE, "CronJob", PATH), cron::suspend);
    t.post("/v1/namespaces/{ns}/cronjobs/{name}/resume", of(UPDATE, "CronJob", PATH), cron::resume);
    t.post("/v1/namespaces/{ns}/jobs/{name}/run", of(UPDATE, "Job", PATH), jobs::run);
    t.get("/v1/namespaces/{ns}/services/{name}/rollout", of(GET, "Service", PATH), rollouts::status);
    t.post("/v1/namespaces/{ns}/services/{name}/rollout/promote", of(UPDATE, "Service", PATH), rollouts::promote);
    t.post("/v1/namespaces/{ns}/services/{name}/rollout/undo", of(UPDATE, "Service", PATH), rollouts::undo);
    t.post("/v1/namespaces/{ns}/services/{name}/rollout/restart", of(UPDATE, "Service", PATH), rollouts::restart);
    t.get("/v1/discovery", of(LIST, "Service", QUERY), discovery::all);
    t.get("/v1/namespaces/{ns}/services/{name}/endpoints", of(GET, "Service", PATH), discovery::service);

    t.get("/v1/cluster/leader", of(GET, "Cluster", CLUSTER), ctx -> send(ctx, json, leader.get()));
    t.get("/v1/servers", of(LIST, "Cluster", CLUSTER), ctx -> send(ctx, json, servers.get()));
    t.get("/v1/watch", Access.watch(), watch::serve);
    t.post("/v1/plan", perObject("get each object of the stack"), stacks::plan);
    t.post("/v1/apply", perObject("create/update/delete each object the plan changes"), stacks::apply);
    t.post("/v1/delete", perObject("delete each object of the stack"), stacks::delete);
    t.post("/v1/nodes/heartbeats", of(UPDATE, "Node", CLUSTER), agents::heartbeats);
    t.post("/v1/nodes/{name}/heartbeat", of(UPDATE, "Node", CLUSTER), agents::heartbeat);
    t.post("/v1/instances/status", of(UPDATE, "Instance", QUERY), agents::reportStatus);
    t.get("/v1/namespaces/{ns}/instances/{name}/logs", of(GET, "Instance", PATH), proxy::logs);
    t.post("/v1/namespaces/{ns}/instances/{name}/exec", of(EXEC, "Instance", PATH), proxy::exec);

    t.get("/v1/namespaces/{ns}/{plural}", ofPath(LIST, PATH), ctx -> r.list(ctx, ResourceRoutes.namespacedPath(ctx)));
    t.post("/v1/namespaces/{ns}/{plural}", ofPath(CREATE, PATH),
        ctx -> r.create(ctx, ResourceRoutes.namespacedPath(ctx)));
    t.get("/v1/namespaces/{ns}/{plural}/{name}", ofPath(GET, PATH),
        ctx -> r.get(ctx, ResourceRoutes.namespacedPath(ctx)));
    t.put("/v1/namespaces/{ns}/{plural}/{name}", ofPath(UPDATE, PATH),
        ctx -> r.replace(ctx, ResourceRoutes.namespacedPath(ctx)));
    t.delete("/v1/namespaces/{ns}/{plural}/{name}", ofPath(DELETE, PATH),
        ctx -> r.delete(ctx, ResourceRoutes.namespacedPath(ctx)));
    t.put("/v1/namespaces/{ns}/{plural}/{name}/status", ofPath(UPDATE, PATH),
        ctx -> r.replaceStatus(ctx, ResourceRoutes.namespacedPath(ctx)));

    t.get("/v1/{plural}", ofPath(LIST, QUERY), ctx -> r.list(ctx, ResourceRoutes.clusterPath(ctx)));
    t.post("/v1/{plural}", ofPath(CREATE, CLUSTER), clusterOnly(r::create));
    t.get("/v1/{plural}/{name}", ofPath(GET, CLUSTER), clusterOnly(r::get));
    t.put("/v1/{plural}/{name}", ofPath(UPDATE, CLUSTER), clusterOnly(r::replace));
    t.delete("/v1/{plural}/{name}", ofPath(DELETE, CLUSTER), clusterOnly(r::delete));
    t.put("/v1/{plural}/{name}/status", ofPath(UPDATE, CLUSTER), clusterOnly(r::replaceStatus));
  }

  /** Every registered route with the access it declares (for the authorisation matrix test and docs). */
  public List<RouteTable.Route> routeTable() {
    return table.routes();
  }

  /**
   * Jetty decodes a query lazily and leniently (a bad escape stays literal text), so a query
   * with broken percent-encoding would be read as a strange value; refuse it as malformed instead,
   * like Jetty refuses a path with broken encoding.
   */
  private static void rejectBadQueryEncoding(Context ctx) {
    String query = ctx.queryString();
    if (query == null) {
      return;
    }
    for (int i = 0; i < query.length(); i++) {
      if (query.charAt(i) == '%') {
        if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
            || Character.digit(query.charAt(i + 2), 16) < 0) {
          throw ApiError.malformed("query string has a bad percent-encoding at character " + (i + 1)).failure();
        }
        i += 2;
      }
    }
  }

  @FunctionalInterface
  private interface TargetHandler {
    void handle(Context ctx, ResourceRoutes.Target target) throws Exception;
  }

  /** {@code /v1/{plural}/{name}} addresses cluster-scoped kinds only. */
  private static Handler clusterOnly(TargetHandler handler) {
    return ctx -> {
      ResourceRoutes.Target target = ResourceRoutes.clusterPath(ctx);
      if (!target.type().clusterScoped()) {
        if (ctx.method().name().equals("POST")) {
          throw new ApiError(405, "method_not_allowed", target.type().kind()
              + " is namespaced; create it under /v1/namespaces/{ns}/" + target.type().plural(), List.of()).failure();
        }
        throw ApiError.notFound(target.type().kind() + " is namespaced; use /v1/namespaces/{ns}/"
            + target.type().plural() + "/{name}").failure();
      }
      handler.handle(ctx, target);
    };
  }

  private static void health(Context ctx, Settings settings, Store store, ObjectMapper json) {
    ObjectNode body = json.createObjectNode();
    try {
      long revision = store.revision();
      body.put("status", "ok").put("store", settings.storeKind()).put("revision", revision);
      send(ctx, json, body);
    } catch (RuntimeException e) {
      body.put("status", "unavailable").put("store", settings.storeKind()).put("message", String.valueOf(e.getMessage()));
      ctx.attribute(RENDERED, true);
      send(ctx, json, body);
      ctx.status(503);
    }
  }

  static void send(Context ctx, ObjectMapper json, Object body) {
    ctx.contentType("application/json");
    try {
      ctx.result(json.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Serves new HTTPS connections with {@code context} (the renewed server certificate); open
   * connections keep theirs.
   */
  public void reloadTls(javax.net.ssl.SSLContext context) {
    if (https == null) {
      throw new IllegalStateException("this server serves plain HTTP");
    }
    HttpsConnector.reload(https, context);
  }

  /** The port the server listens on (useful when started on port 0). */
  public int port() {
    return app.port();
  }

  /** Stops HTTP, first giving watch streams (which the hub has ended) a moment to send their end. */
  @Override
  public void close() {
    watch.awaitIdle(Duration.ofSeconds(2));
    app.stop();
  }
}
