package io.wharf.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.quantity.Durations;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.auth.jwt.SignedTokens;
import io.wharf.server.auth.login.Login;
import io.wharf.server.auth.login.LoginAssembly;
import io.wharf.server.auth.login.Totp;
import io.wharf.server.auth.login.UserCredentials;
import io.wharf.server.auth.workload.WorkloadTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The login lane's routes (docs/api.md "Authentication"):
 * <ul>
 *   <li>{@code POST /v1/auth/login} (anonymous; checks its own credentials): user, password and
 *       TOTP code for a signed token; 401 with one message whatever was wrong, 429 with
 *       {@code Retry-After} while locked out.</li>
 *   <li>{@code GET /v1/auth/jwks}: the public signing keys; {@code POST /v1/auth/keys/rotate}.</li>
 *   <li>{@code PUT /v1/auth/users/{user}/password}, {@code POST|DELETE /v1/auth/users/{user}/totp}:
 *       a user's credentials (write-only: nothing here ever returns a hash or an enrolled secret).</li>
 *   <li>{@code POST /v1/namespaces/{ns}/instances/{name}/token}: an instance's workload token, for
 *       the agent of its node only.</li>
 * </ul>
 * Thread safety: stateless; the lane's classes are thread-safe.
 */
final class LoginRoutes {
  static final int MIN_PASSWORD = 8;
  static final int MAX_PASSWORD = 1024;
  private static final Set<String> LOGIN_FIELDS = Set.of("user", "password", "totp", "ttl");

  private final LoginAssembly lane;
  private final RequestBodies bodies;
  private final ObjectMapper json;

  LoginRoutes(LoginAssembly lane, RequestBodies bodies, ObjectMapper json) {
    this.lane = lane;
    this.bodies = bodies;
    this.json = json;
  }

  void login(Context ctx) {
    ObjectNode body = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    unknownFields(body, LOGIN_FIELDS, problems);
    String user = text(body, "user", true, problems);
    String password = text(body, "password", true, problems);
    String code = text(body, "totp", false, problems);
    String ttlText = text(body, "ttl", false, problems);
    if (user != null) {
      UserCredentials.nameProblem(user).ifPresent(p -> problems.add(new ApiProblem("user", p)));
      if (UserCredentials.nameProblem(user).isEmpty()) {
        io.wharf.server.audit.AuditScope.describe(ctx, "User", null, user); // whose login, for the audit entry
      }
    }
    if (code != null && !code.matches("[0-9]{" + Totp.DIGITS + "}")) {
      problems.add(new ApiProblem("totp", "must be " + Totp.DIGITS + " digits"));
    }
    Duration ttl = null;
    if (ttlText != null) {
      ttl = Durations.parse(ttlText).orElse(null);
      if (ttl == null || ttl.isZero() || ttl.isNegative()) {
        problems.add(new ApiProblem("ttl", "must be a positive duration like \"30m\", got \"" + ttlText + "\""));
        ttl = null;
      } else if (ttl.compareTo(lane.login().maxLifetime()) > 0) {
        problems.add(new ApiProblem("ttl", "must be at most " + Durations.format(lane.login().maxLifetime())));
      }
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("login request", problems).failure();
    }
    Login.Outcome outcome = lane.login().login(user, password.toCharArray(), code, ctx.req().getRemoteAddr(), ttl);
    switch (outcome) {
      case Login.Granted g -> {
        ctx.header("Cache-Control", "no-store");
        send(ctx, 200, token(g.principal(), g.token()));
      }
      case Login.Refused r -> throw new ApiError(401, "unauthenticated", Login.REFUSED, List.of()).failure();
      case Login.Throttled t -> {
        long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiError(429, "too_many_requests", "too many failed logins; try again in " + seconds + " s",
            List.of()).failure();
      }
    }
  }

  void jwks(Context ctx) {
    ctx.contentType("application/json");
    ctx.header("Cache-Control", "max-age=60");
    ctx.result(lane.keys().jwks().toString(true));
  }

  void rotate(Context ctx) {
    String kid = lane.keys().rotate();
    send(ctx, 200, json.createObjectNode().put("kid", kid)
        .put("previousKeysValidFor", Durations.format(lane.keys().retention())));
  }

  void setPassword(Context ctx) {
    String user = user(ctx);
    ObjectNode body = bodies.tree(bodies.read(ctx));
    List<ApiProblem> problems = new ArrayList<>();
    unknownFields(body, Set.of("password"), problems);
    String password = text(body, "password", true, problems);
    if (password != null && password.length() < MIN_PASSWORD) {
      problems.add(new ApiProblem("password", "must be at least " + MIN_PASSWORD + " characters"));
    }
    if (password != null && password.length() > MAX_PASSWORD) {
      problems.add(new ApiProblem("password", "must be at most " + MAX_PASSWORD + " characters"));
    }
    if (!problems.isEmpty()) {
      throw ApiError.invalid("password change", problems).failure();
    }
    // That the user exists and the caller holds all it holds is checked where the route is declared (ApiServer).
    lane.credentials().setPassword(user, lane.hasher().hash(password.toCharArray()));
    send(ctx, 200, json.createObjectNode().put("user", user).put("password", "set"));
  }

  void enrolTotp(Context ctx) {
    String user = user(ctx);
    var stored = lane.credentials().get(user);
    if (stored.isEmpty()) {
      throw ApiError.notFound("user \"" + user + "\" has no password; set one before enrolling TOTP").failure();
    }
    if (stored.get().totpSecret() != null) {
      throw ApiError.conflict("user \"" + user + "\" is already enrolled in TOTP; remove the enrolment first")
          .failure();
    }
    String secret = Totp.newSecret();
    lane.credentials().setTotp(user, secret);
    ctx.header("Cache-Control", "no-store");
    send(ctx, 201, json.createObjectNode().put("user", user).put("secret", secret)
        .put("uri", Totp.uri("Wharf", user, secret)));
  }

  void removeTotp(Context ctx) {
    String user = user(ctx);
    if (!lane.credentials().setTotp(user, null)) {
      throw ApiError.notFound("user \"" + user + "\" has no credentials").failure();
    }
    send(ctx, 200, json.createObjectNode().put("user", user).put("totp", "removed"));
  }

  void workloadToken(Context ctx) {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    switch (lane.workloads().issue(RequestPrincipal.of(ctx), ns, name)) {
      case WorkloadTokens.Granted g -> {
        ctx.header("Cache-Control", "no-store");
        send(ctx, 200, token(g.principal(), g.token()));
      }
      case WorkloadTokens.NotFound n -> throw ApiError.notFound("Instance \"" + ns + "/" + name + "\" not found")
          .failure();
      case WorkloadTokens.Forbidden f -> throw new ApiError(403, "forbidden", f.reason(), List.of()).failure();
      case WorkloadTokens.Ended e -> throw ApiError.conflict("Instance \"" + ns + "/" + name + "\" has "
          + e.state() + "; it gets no token").failure();
    }
  }

  private ObjectNode token(Principal principal, SignedTokens.Issued issued) {
    ObjectNode out = json.createObjectNode();
    out.put("token", issued.token());
    out.put("tokenType", "Bearer");
    out.put("principal", principal.id());
    out.put("expiresAt", issued.expiresAt().toString());
    return out;
  }

  private static String user(Context ctx) {
    String user = ctx.pathParam("user");
    UserCredentials.nameProblem(user).ifPresent(p -> {
      throw ApiError.malformed("user: \"" + user + "\" " + p).failure();
    });
    return user;
  }

  private static void unknownFields(ObjectNode body, Set<String> known, List<ApiProblem> problems) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        problems.add(new ApiProblem(f, "unknown field"));
      }
    }
  }

  private static String text(ObjectNode body, String field, boolean required, List<ApiProblem> problems) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(new ApiProblem(field, "is required"));
      }
      return null;
    }
    if (!v.isTextual()) {
      problems.add(new ApiProblem(field, "must be a string"));
      return null;
    }
    if (required && v.asText().isEmpty()) {
      problems.add(new ApiProblem(field, "must not be empty"));
      return null;
    }
    return v.asText();
  }

  private void send(Context ctx, int status, Object body) {
    ctx.status(status);
    ApiServer.send(ctx, json, body);
  }
}
