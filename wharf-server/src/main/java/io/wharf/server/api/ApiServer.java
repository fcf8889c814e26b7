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
import io.wharf.server.watch.WatchHub;
import io.wharf.store.Store;
import java.time.Duration;
import java.util.List;

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

  /** What the server reports about itself on {@code /v1/health}. */
  public record Settings(String bindHost, int port, String storeKind, Duration keepAlive) {}

  public ApiServer(Settings settings, Store store, ResourceRegistry registry, StackPlanner planner,
      StackApplier applier, WatchHub hub, NodeLiveness liveness, InstanceStatusReports reports, ObjectMapper json,
      java.util.function.Supplier<Object> leader, io.wharf.server.auth.login.LoginAssembly login,
      io.wharf.server.audit.AuditRecorder audit, io.wharf.server.audit.AuditReader auditLog) {
    ErrorResponses errors = new ErrorResponses(json);
    RequestBodies bodies = new RequestBodies(json);
    ResourceValidation validation = new ResourceValidation(json);
    ResourceRoutes resources = new ResourceRoutes(registry, bodies, validation, errors, json);
    AgentRoutes agents = new AgentRoutes(liveness, reports, bodies, validation, json);
    AgentProxy proxy = new AgentProxy(registry);
    NodeRoutes nodes = new NodeRoutes(registry, bodies, json);
    JobRoutes jobs = new JobRoutes(new JobRuns(registry), json);
    RolloutRoutes rollouts = new RolloutRoutes(registry,
        new io.wharf.server.controller.rollout.RolloutActions(registry, java.time.InstantSource.system()), json);
    DiscoveryRoutes discovery = new DiscoveryRoutes(registry, json);
    StackRoutes stacks = new StackRoutes(planner, applier, new StackDeleter(registry), bodies, errors, json);
    WatchRoute watch = new WatchRoute(hub, settings.keepAlive());
    this.watch = watch;
    this.app = Javalin.create(config -> {
      configure(config, settings);
      // Requests Jetty refuses itself (malformed request line or headers, URI too long) never
      // reach Javalin's handlers: render those in our JSON shape too, not as Jetty's HTML page.
      config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors(errors)));
      // Every mutating call gets an audit entry: in the transaction of its change, or appended
      // after a refusal (before the answer is sent).
      config.routes.before(audit::before);
      config.routes.after(audit::after);
      config.routes.get("/v1/audit", new AuditRoutes(auditLog, json, settings.keepAlive(),
          java.time.InstantSource.system())::serve);
      nodeRoutes(config, nodes);
      authRoutes(config, new AuthRoutes(login, bodies, json));
      cronRoutes(config, new CronRoutes(registry, json));
      config.routes.post("/v1/namespaces/{ns}/jobs/{name}/run", jobs::run);
      rolloutRoutes(config, rollouts);
      config.routes.get("/v1/discovery", discovery::all);
      config.routes.get("/v1/namespaces/{ns}/services/{name}/endpoints", discovery::service);
      routes(config, settings, store, resources, stacks, watch, agents, proxy, json, leader);
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

  /** Operator actions ({@link NodeRoutes}); registered before the generic resource routes they shadow. */
  private static void nodeRoutes(JavalinConfig config, NodeRoutes nodes) {
    var routes = config.routes;
    routes.post("/v1/nodes/{name}/drain", nodes::drain);
    routes.post("/v1/nodes/{name}/eligibility", nodes::eligibility);
    routes.get("/v1/node-usage", nodes::usage);
    routes.post("/v1/namespaces/{ns}/services/{name}/rebalance", nodes::rebalance);
  }

  /** The login lane's routes ({@link AuthRoutes}); before the generic resource routes. */
  private static void authRoutes(JavalinConfig config, AuthRoutes auth) {
    var routes = config.routes;
    routes.post("/v1/auth/login", auth::login); // anonymous: checks its own credentials
    routes.get("/v1/auth/jwks", auth::jwks);
    routes.post("/v1/auth/keys/rotate", auth::rotate);
    routes.put("/v1/auth/users/{user}/password", auth::setPassword);
    routes.post("/v1/auth/users/{user}/totp", auth::enrolTotp);
    routes.delete("/v1/auth/users/{user}/totp", auth::removeTotp);
    routes.post("/v1/namespaces/{ns}/instances/{name}/token", auth::workloadToken);
  }

  /** Cron job actions ({@link CronRoutes}); before the generic resource routes, like node actions. */
  private static void cronRoutes(JavalinConfig config, CronRoutes cron) {
    config.routes.post("/v1/namespaces/{ns}/cronjobs/{name}/trigger", cron::trigger);
    config.routes.post("/v1/namespaces/{ns}/cronjobs/{name}/suspend", cron::suspend);
    config.routes.post("/v1/namespaces/{ns}/cronjobs/{name}/resume", cron::resume);
  }

  /** A service's rollout ({@link RolloutRoutes}); registered before the generic resource routes. */
  private static void rolloutRoutes(JavalinConfig config, RolloutRoutes rollouts) {
    var routes = config.routes;
    routes.get("/v1/namespaces/{ns}/services/{name}/rollout", rollouts::status);
    routes.post("/v1/namespaces/{ns}/services/{name}/rollout/promote", rollouts::promote);
    routes.post("/v1/namespaces/{ns}/services/{name}/rollout/undo", rollouts::undo);
    routes.post("/v1/namespaces/{ns}/services/{name}/rollout/restart", rollouts::restart);
  }

  private static void routes(JavalinConfig config, Settings settings, Store store, ResourceRoutes r,
      StackRoutes stacks, WatchRoute watch, AgentRoutes agents, AgentProxy proxy, ObjectMapper json,
      java.util.function.Supplier<Object> leader) {
    var routes = config.routes;
    routes.before(ApiServer::rejectBadQueryEncoding);
    routes.get("/v1/health", ctx -> health(ctx, settings, store, json));
    routes.get("/v1/version", ctx -> send(ctx, json, json.createObjectNode().put("version", VERSION).put("api", "v1")));
    routes.get("/v1/cluster/leader", ctx -> send(ctx, json, leader.get()));
    routes.get("/v1/watch", watch::serve);
    routes.post("/v1/plan", stacks::plan);
    routes.post("/v1/apply", stacks::apply);
    routes.post("/v1/delete", stacks::delete);
    routes.post("/v1/nodes/heartbeats", agents::heartbeats);
    routes.post("/v1/nodes/{name}/heartbeat", agents::heartbeat);
    routes.post("/v1/instances/status", agents::reportStatus);
    routes.get("/v1/namespaces/{ns}/instances/{name}/logs", proxy::logs);
    routes.post("/v1/namespaces/{ns}/instances/{name}/exec", proxy::exec);

    routes.get("/v1/namespaces/{ns}/{plural}", ctx -> r.list(ctx, ResourceRoutes.namespacedPath(ctx)));
    routes.post("/v1/namespaces/{ns}/{plural}", ctx -> r.create(ctx, ResourceRoutes.namespacedPath(ctx)));
    routes.get("/v1/namespaces/{ns}/{plural}/{name}", ctx -> r.get(ctx, ResourceRoutes.namespacedPath(ctx)));
    routes.put("/v1/namespaces/{ns}/{plural}/{name}", ctx -> r.replace(ctx, ResourceRoutes.namespacedPath(ctx)));
    routes.delete("/v1/namespaces/{ns}/{plural}/{name}", ctx -> r.delete(ctx, ResourceRoutes.namespacedPath(ctx)));
    routes.put("/v1/namespaces/{ns}/{plural}/{name}/status",
        ctx -> r.replaceStatus(ctx, ResourceRoutes.namespacedPath(ctx)));

    routes.get("/v1/{plural}", ctx -> r.list(ctx, ResourceRoutes.clusterPath(ctx)));
    routes.post("/v1/{plural}", clusterOnly(r::create));
    routes.get("/v1/{plural}/{name}", clusterOnly(r::get));
    routes.put("/v1/{plural}/{name}", clusterOnly(r::replace));
    routes.delete("/v1/{plural}/{name}", clusterOnly(r::delete));
    routes.put("/v1/{plural}/{name}/status", clusterOnly(r::replaceStatus));
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

  /** Every HTTP route as {@code "METHOD /path"} (the audit test drives each mutating one). */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(p -> p.endpoint.method.name() + " " + p.endpoint.path).toList();
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
