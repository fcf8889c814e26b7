package io.wharf.server.audit;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.wharf.server.auth.RequestPrincipal;
import java.util.Map;

/**
 * The audit context of one API request that may change something: who, from where, which route.
 * It is bound to the request's thread (every request has its own virtual thread) from before the
 * handler until the answer is complete, which is how {@link AuditTrail} finds it inside
 * {@link io.wharf.server.registry.ChangeWriter} without every write path passing it along.
 * Writes on other threads (controllers, combined agent reports) have no scope and are not audited.
 *
 * <p>Thread safety: confined to the request's thread.
 */
public final class AuditScope {
  static final String ATTRIBUTE = "wharf.audit.scope";
  private static final String OBJECT = "wharf.audit.object";
  private static final ThreadLocal<AuditScope> CURRENT = new ThreadLocal<>();

  private final Context ctx;
  private final String method;
  private final String path;
  private final String source;
  private final String userAgent;
  private int recorded;
  private int recordedStatus;
  private boolean appending;
  private com.fasterxml.jackson.databind.node.ObjectNode pending;

  AuditScope(Context ctx) {
    this.ctx = ctx;
    this.method = ctx.method().name();
    this.path = ctx.path();
    this.source = ctx.ip();
    this.userAgent = ctx.userAgent();
  }

  private AuditScope() {
    this.ctx = null;
    this.method = null;
    this.path = null;
    this.source = null;
    this.userAgent = null;
  }

  /**
   * A scope of no request, for appending an entry built earlier ({@link #pendingEntry}) from
   * another thread: the recorder's summaries of coalesced refusals.
   */
  static AuditScope detached(com.fasterxml.jackson.databind.node.ObjectNode entry) {
    AuditScope scope = new AuditScope();
    scope.appending = true;
    scope.pending = entry;
    return scope;
  }

  /** The object a call acts on, when its handler knows it better than the path (a stack's name). */
  public record Target(String kind, String namespace, String name) {}

  /** Handlers call this when the object is named by the body, not the path (stack apply and delete). */
  public static void describe(Context ctx, String kind, String namespace, String name) {
    ctx.attribute(OBJECT, new Target(kind, namespace, name));
  }

  static AuditScope current() {
    return CURRENT.get();
  }

  void bind() {
    CURRENT.set(this);
  }

  void unbind() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  /** The route template that matched, or null (no route: a 404, or the request was refused earlier). */
  String template() {
    try {
      Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? null : endpoint.path;
    } catch (RuntimeException e) {
      return null;
    }
  }

  AuditedRoutes.Rule rule() {
    return AuditedRoutes.rule(method, template());
  }

  String principal() {
    return RequestPrincipal.of(ctx).id();
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  String source() {
    return source;
  }

  String userAgent() {
    return userAgent;
  }

  Target described() {
    return ctx.attribute(OBJECT);
  }

  Map<String, String> pathParams() {
    try {
      return ctx.pathParamMap();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  Context ctx() {
    return ctx;
  }

  /** Whether this request's entries go into the transactions it commits. */
  boolean inTransaction() {
    return appending || !rule().agentReport();
  }

  boolean appending() {
    return appending;
  }

  void appending(boolean on) {
    appending = on;
  }

  /** The entry the recorder appends for a call that committed nothing. */
  com.fasterxml.jackson.databind.node.ObjectNode pendingEntry() {
    return pending;
  }

  void pendingEntry(com.fasterxml.jackson.databind.node.ObjectNode entry) {
    pending = entry;
  }

  /** The status an entry committed with this request's change says it answered. */
  int recordedStatus() {
    return recordedStatus;
  }

  void recordedStatus(int status) {
    recordedStatus = status;
  }

  int recorded() {
    return recorded;
  }

  void recordedOne() {
    recorded++;
  }
}
