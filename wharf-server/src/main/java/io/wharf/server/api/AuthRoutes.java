package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.quantity.Durations;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.auth.identity.ApiTokens;
import io.wharf.server.auth.identity.AuthRecords;
import io.wharf.server.auth.identity.Authorizer;
import io.wharf.server.auth.identity.PrincipalRecord;
import io.wharf.server.auth.identity.RoleRecord;
import io.wharf.server.auth.identity.TokenRecord;
import io.wharf.server.auth.policy.BuiltInRoles;
import io.wharf.server.auth.policy.Grants;
import io.wharf.server.auth.policy.Role;
import io.wharf.server.auth.policy.Rule;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /v1/auth/...}: principals and their grants, custom roles, API tokens, and
 * {@code whoami}. Who may call each is in {@link ApiServer}'s route table; on top of that,
 * granting (a principal's grants, a role's rules, a token for someone else) is refused unless the
 * caller holds every permission it grants ({@link Authorizer#requireHolds}).
 */
final class AuthRoutes {
  private static final Pattern USER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9._@]{0,61}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final AuthRecords records;
  private final ApiTokens tokens;
  private final Authorizer authorizer;
  private final RequestBodies bodies;
  private final ObjectMapper json;
  private final InstantSource clock;

  AuthRoutes(AuthRecords records, ApiTokens tokens, Authorizer authorizer, RequestBodies bodies, ObjectMapper json,
      InstantSource clock) {
    this.records = records;
    this.tokens = tokens;
    this.authorizer = authorizer;
    this.bodies = bodies;
    this.json = json;
    this.clock = clock;
  }

  void whoami(Context ctx) {
    Principal p = RequestPrincipal.of(ctx);
    ObjectNode body = json.createObjectNode();
    body.put("principal", p.id());
    Grants grants = records.principal(p.id()).map(v -> v.value().grants()).orElse(Grants.NONE);
    List<String> roles = new ArrayList<>(grants.roles());
    if (p.kind() == Principal.Kind.NODE && !roles.contains(BuiltInRoles.NODE)) {
      roles.add(BuiltInRoles.NODE);
    }
    roles.forEach(body.putArray("roles")::add);
    rules(body.putArray("rules"), authorizer.policyOf(p).rules());
    ApiServer.send(ctx, json, body);
  }

  // ---- principals

  void listPrincipals(Context ctx) {
    ObjectNode body = json.createObjectNode().put("kind", "PrincipalList");
    ArrayNode items = body.putArray("items");
    records.principals().forEach(p -> items.add(principal(p)));
    ApiServer.send(ctx, json, body);
  }

  void getPrincipal(Context ctx) {
    String id = principalId(ctx.pathParam("id"), "id");
    PrincipalRecord p = records.principal(id).orElseThrow(() -> notFound("principal", id)).value();
    ApiServer.send(ctx, json, principal(p));
  }

  void createPrincipal(Context ctx) {
    ObjectNode in = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    String id = text(in, "id", problems);
    if (id != null && !validPrincipal(id)) {
      problems.add(new ApiProblem("id", principalIdProblem(id)));
    }
    Grants grants = grants(in, problems);
    if (!problems.isEmpty()) {
      throw ApiError.invalid("principal", problems).failure();
    }
    Principal caller = RequestPrincipal.of(ctx);
    authorizer.requireHolds(caller, "to " + id, grants.rules(), grants.roles());
    PrincipalRecord record = new PrincipalRecord(id, grants.roles(), grants.rules(), clock.instant(), caller.id());
    if (!records.createPrincipal(record)) {
      throw new ApiError(409, "already_exists", "principal \"" + id + "\" already exists", List.of()).failure();
    }
    ApiServer.send(ctx, json, principal(record));
    ctx.status(201);
  }

  void deletePrincipal(Context ctx) {
    String id = principalId(ctx.pathParam("id"), "id");
    var found = records.principal(id).orElseThrow(() -> notFound("principal", id));
    authorizer.requireHoldsAllOf(RequestPrincipal.of(ctx), Principal.parse(id).orElseThrow(), "delete");
    if (!records.deletePrincipal(id, found.modRevision())) {
      throw ApiError.conflict("principal \"" + id + "\" changed meanwhile; retry").failure();
    }
    ApiServer.send(ctx, json, principal(found.value()));
  }

  /** {@code PUT /v1/auth/grants/<id>}: replaces a principal's roles and rules. */
  void replaceGrants(Context ctx) {
    String id = principalId(ctx.pathParam("id"), "id");
    ObjectNode in = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    Grants grants = grants(in, problems);
    if (!problems.isEmpty()) {
      throw ApiError.invalid("grants", problems).failure();
    }
    authorizer.requireHolds(RequestPrincipal.of(ctx), "to " + id, grants.rules(), grants.roles());
    var found = records.principal(id).orElseThrow(() -> notFound("principal", id));
    authorizer.requireHoldsAllOf(RequestPrincipal.of(ctx), Principal.parse(id).orElseThrow(), "change the grants of");
    PrincipalRecord updated = found.value().withGrants(grants);
    if (!records.replacePrincipal(updated, found.modRevision())) {
      throw ApiError.conflict("principal \"" + id + "\" changed meanwhile; retry").failure();
    }
    ApiServer.send(ctx, json, principal(updated));
  }

  // ---- roles

  void listRoles(Context ctx) {
    ObjectNode body = json.createObjectNode().put("kind", "RoleList");
    ArrayNode items = body.putArray("items");
    BuiltInRoles.ALL.forEach(r -> items.add(role(r)));
    records.roles().forEach(r -> items.add(role(r.role())));
    ApiServer.send(ctx, json, body);
  }

  void createRole(Context ctx) {
    ObjectNode in = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    String name = text(in, "name", problems);
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add(new ApiProblem("name", "must be lowercase letters, digits and '-' (at most 63)"));
    }
    List<Rule> rules = rules(in.get("rules"), "rules", problems);
    if (rules.isEmpty() && problems.isEmpty()) {
      problems.add(new ApiProblem("rules", "at least one rule"));
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("role", problems).failure();
    }
    if (BuiltInRoles.byName(name).isPresent()) {
      throw new ApiError(409, "already_exists", "role \"" + name + "\" is built in", List.of()).failure();
    }
    Principal caller = RequestPrincipal.of(ctx);
    authorizer.requireHolds(caller, "role " + name, rules, List.of());
    RoleRecord record = new RoleRecord(name, rules, clock.instant(), caller.id());
    if (!records.createRole(record)) {
      throw new ApiError(409, "already_exists", "role \"" + name + "\" already exists", List.of()).failure();
    }
    ApiServer.send(ctx, json, role(record.role()));
    ctx.status(201);
  }

  void replaceRole(Context ctx) {
    String name = ctx.pathParam("name");
    ObjectNode in = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    List<Rule> rules = rules(in.get("rules"), "rules", problems);
    if (rules.isEmpty() && problems.isEmpty()) {
      problems.add(new ApiProblem("rules", "at least one rule"));
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("role", problems).failure();
    }
    if (BuiltInRoles.byName(name).isPresent()) {
      throw new ApiError(405, "method_not_allowed", "role \"" + name + "\" is built in and cannot change", List.of())
          .failure();
    }
    authorizer.requireHolds(RequestPrincipal.of(ctx), "role " + name, rules, List.of());
    var found = records.role(name).orElseThrow(() -> notFound("role", name));
    authorizer.requireHolds(RequestPrincipal.of(ctx), "role " + name + " (to change it)", found.value().rules(), List.of());
    RoleRecord updated = new RoleRecord(name, rules, found.value().created(), found.value().createdBy());
    if (!records.replaceRole(updated, found.modRevision())) {
      throw ApiError.conflict("role \"" + name + "\" changed meanwhile; retry").failure();
    }
    ApiServer.send(ctx, json, role(updated.role()));
  }

  void deleteRole(Context ctx) {
    String name = ctx.pathParam("name");
    if (BuiltInRoles.byName(name).isPresent()) {
      throw new ApiError(405, "method_not_allowed", "role \"" + name + "\" is built in and cannot be deleted", List.of())
          .failure();
    }
    var found = records.role(name).orElseThrow(() -> notFound("role", name));
    authorizer.requireHolds(RequestPrincipal.of(ctx), "role " + name + " (to delete it)", found.value().rules(), List.of());
    if (!records.deleteRole(name, found.modRevision())) {
      throw ApiError.conflict("role \"" + name + "\" changed meanwhile; retry").failure();
    }
    ApiServer.send(ctx, json, role(found.value().role()));
  }

  // ---- tokens

  void listTokens(Context ctx) {
    String principal = ctx.queryParam("principal");
    if (principal != null) {
      principal = principalId(principal, "principal");
    }
    ObjectNode body = json.createObjectNode().put("kind", "TokenList");
    ArrayNode items = body.putArray("items");
    tokens.list(principal).forEach(t -> items.add(token(t)));
    ApiServer.send(ctx, json, body);
  }

  /**
   * {@code POST /v1/auth/tokens} {@code {"principal", "expires", "description"}}: a token for the
   * caller (no principal given) or for another principal, whose permissions the caller must all
   * hold. A node or service principal that does not exist yet is created (without grants of its
   * own; a node holds the {@code node} role); a user must have been created before.
   */
  void createToken(Context ctx) {
    JsonNode in = ctx.req().getContentLengthLong() == 0 ? json.createObjectNode() : bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    Principal caller = RequestPrincipal.of(ctx);
    String principal = in.hasNonNull("principal") ? in.get("principal").asText() : caller.id();
    if (!validPrincipal(principal)) {
      problems.add(new ApiProblem("principal", principalIdProblem(principal)));
    }
    Instant expires = null;
    if (in.hasNonNull("expires")) {
      expires = expiry(in.get("expires").asText(), problems);
    }
    String description = in.hasNonNull("description") ? in.get("description").asText() : null;
    if (description != null && description.length() > 200) {
      problems.add(new ApiProblem("description", "at most 200 characters"));
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("token", problems).failure();
    }
    if (caller.anonymous()) {
      throw ApiError.forbidden("anonymous callers get no tokens").failure();
    }
    Principal target = Principal.parse(principal).orElseThrow();
    var found = records.principal(principal);
    if (found.isEmpty()) {
      if (target.kind() == Principal.Kind.USER) {
        throw notFound("principal", principal);
      }
    }
    if (!target.equals(caller)) {
      authorizer.requireHolds(caller, "a token of " + principal, authorizer.policyOf(target).rules(), List.of());
    }
    if (found.isEmpty()) {
      records.createPrincipal(new PrincipalRecord(principal, List.of(), List.of(), clock.instant(), caller.id()));
      found = records.principal(principal);
    }
    long revision = found.map(AuthRecords.Versioned::modRevision).orElse(0L);
    ApiTokens.Issued issued = tokens.create(principal, revision, description, expires, caller.id())
        .orElseThrow(() -> ApiError.conflict("principal \"" + principal + "\" changed meanwhile; retry").failure());
    ObjectNode body = token(issued.record());
    body.put("token", issued.token());
    ApiServer.send(ctx, json, body);
    ctx.status(201);
  }

  void revokeToken(Context ctx) {
    String id = ctx.pathParam("id");
    TokenRecord revoked = tokens.revoke(id).orElseThrow(() -> notFound("token", id));
    ApiServer.send(ctx, json, token(revoked));
  }

  // ---- reading requests

  private Instant expiry(String text, List<ApiProblem> problems) {
    var duration = Durations.parse(text);
    if (duration.isPresent()) {
      if (duration.get().isZero() || duration.get().isNegative()) {
        problems.add(new ApiProblem("expires", "must be a positive duration or a time in the future"));
        return null;
      }
      return clock.instant().plus(duration.get());
    }
    try {
      Instant at = Instant.parse(text);
      if (!at.isAfter(clock.instant())) {
        problems.add(new ApiProblem("expires", "\"" + text + "\" is in the past"));
      }
      return at;
    } catch (DateTimeParseException e) {
      problems.add(new ApiProblem("expires", "\"" + text
          + "\" is neither a duration (e.g. 30d, 12h) nor a time (e.g. 2027-01-31T00:00:00Z)"));
      return null;
    }
  }

  private Grants grants(JsonNode in, List<ApiProblem> problems) {
    List<String> roles = new ArrayList<>();
    JsonNode r = in.get("roles");
    if (r != null && !r.isNull()) {
      if (!r.isArray()) {
        problems.add(new ApiProblem("roles", "must be a list of role names"));
      } else {
        for (int i = 0; i < r.size(); i++) {
          String name = r.get(i).asText();
          if (authorizer.role(name).isEmpty()) {
            problems.add(new ApiProblem("roles[" + i + "]", "no role \"" + name + "\""));
          } else if (!roles.contains(name)) {
            roles.add(name);
          }
        }
      }
    }
    return new Grants(roles, rules(in.get("rules"), "rules", problems));
  }

  static List<Rule> rules(JsonNode node, String path, List<ApiProblem> problems) {
    List<Rule> rules = new ArrayList<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      problems.add(new ApiProblem(path, "must be a list of rules {namespace, kinds, verbs}"));
      return rules;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode rule = node.get(i);
      String at = path + "[" + i + "]";
      String namespace = rule.path("namespace").isTextual() ? rule.get("namespace").asText() : null;
      List<String> kinds = strings(rule.get("kinds")).stream().map(Rule::canonicalKind).toList();
      List<String> verbs = strings(rule.get("verbs"));
      List<String> found = Rule.problems(at, namespace, kinds, verbs);
      for (String problem : found) {
        int colon = problem.indexOf(": ");
        problems.add(new ApiProblem(problem.substring(0, colon), problem.substring(colon + 2)));
      }
      if (found.isEmpty()) {
        rules.add(Rule.of(namespace, kinds, verbs));
      }
    }
    return rules;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node != null && node.isTextual()) {
      for (String part : node.asText().split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static String text(JsonNode in, String field, List<ApiProblem> problems) {
    JsonNode n = in.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      problems.add(new ApiProblem(field, "required"));
      return null;
    }
    return n.asText();
  }

  static boolean validPrincipal(String id) {
    var p = Principal.parse(id);
    if (p.isEmpty() || p.get().anonymous()) {
      return false;
    }
    return switch (p.get().kind()) {
      case USER -> USER_NAME.matcher(p.get().name()).matches();
      case NODE -> NAME.matcher(p.get().name()).matches();
      case SERVICE -> {
        String[] parts = p.get().name().split("/", -1);
        yield parts.length == 2 && NAME.matcher(parts[0]).matches() && NAME.matcher(parts[1]).matches();
      }
      case ANONYMOUS -> false;
    };
  }

  private static String principalIdProblem(String id) {
    return "\"" + id + "\" is not a principal id (user:NAME, service:NAMESPACE/NAME or node:NAME)";
  }

  private static String principalId(String id, String what) {
    if (!validPrincipal(id)) {
      throw ApiError.badParameter(what, principalIdProblem(id)).failure();
    }
    return id;
  }

  private static ApiError.Failure notFound(String what, String name) {
    return ApiError.notFound(what + " \"" + name + "\" not found").failure();
  }

  // ---- rendering

  private ObjectNode principal(PrincipalRecord p) {
    ObjectNode n = json.createObjectNode();
    n.put("id", p.id());
    p.roles().forEach(n.putArray("roles")::add);
    rules(n.putArray("rules"), p.rules());
    if (p.created() != null) {
      n.put("created", p.created().toString());
    }
    if (p.createdBy() != null) {
      n.put("createdBy", p.createdBy());
    }
    return n;
  }

  private ObjectNode role(Role r) {
    ObjectNode n = json.createObjectNode();
    n.put("name", r.name());
    n.put("builtIn", r.builtIn());
    rules(n.putArray("rules"), r.rules());
    return n;
  }

  private static void rules(ArrayNode out, List<Rule> rules) {
    for (Rule r : rules) {
      ObjectNode n = out.addObject();
      n.put("namespace", r.namespace());
      r.kinds().forEach(n.putArray("kinds")::add);
      r.verbs().forEach(n.putArray("verbs")::add);
    }
  }

  private ObjectNode token(TokenRecord t) {
    ObjectNode n = json.createObjectNode();
    n.put("id", t.id());
    n.put("principal", t.principal());
    if (t.description() != null) {
      n.put("description", t.description());
    }
    n.put("created", String.valueOf(t.created()));
    if (t.createdBy() != null) {
      n.put("createdBy", t.createdBy());
    }
    n.put("expires", t.expires() == null ? null : t.expires().toString());
    n.put("lastUsed", t.lastUsed() == null ? null : t.lastUsed().toString());
    n.put("revoked", t.revoked() == null ? null : t.revoked().toString());
    return n;
  }
}
