package io.wharf.server.audit;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each mutating route does, for its audit entry: the verb, the kind of object it acts on
 * (null: the kind named by the path's {@code {plural}}), the status it answers with when it
 * succeeds, and whether it is an agent's periodic report. A route missing here is still audited,
 * with the HTTP method as its verb ({@link #fallback}); {@code AuditLogTest} drives every route of
 * the API and fails on a route whose answer disagrees with this table.
 */
public final class AuditedRoutes {
  /** The success status of an update that may create: 201 when it did, else 200. */
  public static final int CREATED_OR_OK = -1;

  /** One route's audit description. */
  public record Rule(String verb, String kind, int successStatus, boolean agentReport) {}

  /** Mutating methods that are not changes: reads that need a body. */
  private static final Set<String> NOT_MUTATIONS = Set.of("POST /v1/plan");

  private static final Map<String, Rule> TABLE = new java.util.concurrent.ConcurrentHashMap<>();

  static {
    put("POST /v1/apply", "apply", "Stack", 200);
    put("POST /v1/delete", "delete", "Stack", 200);
    TABLE.put("POST /v1/nodes/heartbeats", new Rule("heartbeat", "Node", 200, true));
    TABLE.put("POST /v1/nodes/{name}/heartbeat", new Rule("heartbeat", "Node", 200, true));
    TABLE.put("POST /v1/instances/status", new Rule("report-status", "Instance", 200, true));
    put("POST /v1/namespaces/{ns}/instances/{name}/exec", "exec", "Instance", 200);
    put("POST /v1/nodes/{name}/drain", "drain", "Node", 200);
    put("POST /v1/nodes/{name}/eligibility", "eligibility", "Node", 200);
    put("POST /v1/namespaces/{ns}/services/{name}/rebalance", "rebalance", "Service", 202);
    put("POST /v1/namespaces/{ns}/cronjobs/{name}/trigger", "trigger", "CronJob", 201);
    put("POST /v1/namespaces/{ns}/cronjobs/{name}/suspend", "suspend", "CronJob", 200);
    put("POST /v1/namespaces/{ns}/cronjobs/{name}/resume", "resume", "CronJob", 200);
    put("POST /v1/namespaces/{ns}/jobs/{name}/run", "run", "Job", 202);
    put("POST /v1/namespaces/{ns}/services/{name}/rollout/promote", "promote", "Service", 202);
    put("POST /v1/namespaces/{ns}/services/{name}/rollout/undo", "undo", "Service", 202);
    put("POST /v1/namespaces/{ns}/services/{name}/rollout/restart", "restart", "Service", 202);
    put("POST /v1/namespaces/{ns}/{plural}", "create", null, 201);
    put("PUT /v1/namespaces/{ns}/{plural}/{name}", "update", null, CREATED_OR_OK);
    put("DELETE /v1/namespaces/{ns}/{plural}/{name}", "delete", null, 200);
    put("PUT /v1/namespaces/{ns}/{plural}/{name}/status", "update-status", null, 200);
    put("POST /v1/auth/login", "login", "User", 200);
    put("POST /v1/auth/keys/rotate", "rotate", "SigningKey", 200);
    put("PUT /v1/auth/users/{user}/password", "set-password", "User", 200);
    put("POST /v1/auth/users/{user}/totp", "enrol-totp", "User", 201);
    put("DELETE /v1/auth/users/{user}/totp", "remove-totp", "User", 200);
    put("POST /v1/namespaces/{ns}/instances/{name}/token", "issue-token", "Instance", 200);
    put("POST /v1/auth/principals", "create", "Principal", 201);
    put("DELETE /v1/auth/principals/<id>", "delete", "Principal", 200);
    put("PUT /v1/auth/grants/<id>", "update-grants", "Principal", 200);
    put("POST /v1/auth/roles", "create", "Role", 201);
    put("PUT /v1/auth/roles/{name}", "update", "Role", CREATED_OR_OK);
    put("DELETE /v1/auth/roles/{name}", "delete", "Role", 200);
    put("POST /v1/auth/tokens", "create", "Token", 201);
    put("DELETE /v1/auth/tokens/{id}", "revoke", "Token", 200);
    put("POST /v1/agent/join", "join", "Node", 200);
    put("POST /v1/join-tokens", "create", "JoinToken", 201);
    put("DELETE /v1/join-tokens/{id}", "revoke", "JoinToken", 200);
    put("POST /v1/secrets/rotate-key", "rotate-key", "Secret", 200);
    put("POST /v1/{plural}", "create", null, 201);
    put("PUT /v1/{plural}/{name}", "update", null, CREATED_OR_OK);
    put("DELETE /v1/{plural}/{name}", "delete", null, 200);
    put("PUT /v1/{plural}/{name}/status", "update-status", null, 200);
  }

  private AuditedRoutes() {
  }

  private static void put(String route, String verb, String kind, int status) {
    TABLE.put(route, new Rule(verb, kind, status, false));
  }

  /**
   * Other lanes' routes (tokens, users, policies, login, join) register here where the server is
   * assembled; until they do, their calls are audited by {@link #fallback}.
   */
  public static void register(String method, String path, Rule rule) {
    TABLE.put(method.toUpperCase(Locale.ROOT) + " " + path, rule);
  }

  /** Whether a request with this method is a change (and so audited). */
  public static boolean mutating(String method, String template) {
    String m = method.toUpperCase(Locale.ROOT);
    if (!(m.equals("POST") || m.equals("PUT") || m.equals("DELETE") || m.equals("PATCH"))) {
      return false;
    }
    return template == null || !NOT_MUTATIONS.contains(m + " " + template);
  }

  /** The rule of a route template ({@code null} when no route matched): the table's, else a fallback. */
  public static Rule rule(String method, String template) {
    String m = method.toUpperCase(Locale.ROOT);
    if (template != null) {
      Rule rule = TABLE.get(m + " " + template);
      if (rule != null) {
        return rule;
      }
    }
    return fallback(m);
  }

  /** A mutating route the table does not know: the verb follows the method. */
  static Rule fallback(String method) {
    return switch (method) {
      case "POST" -> new Rule("create", null, 201, false);
      case "PUT" -> new Rule("update", null, CREATED_OR_OK, false);
      case "DELETE" -> new Rule("delete", null, 200, false);
      default -> new Rule(method.toLowerCase(Locale.ROOT), null, 200, false);
    };
  }

  /** Every route the table describes, as {@code "METHOD /path"}. */
  public static Set<String> described() {
    return Set.copyOf(TABLE.keySet());
  }
}
