package io.wharf.server.api;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.wharf.server.audit.AuditRecorder;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Authenticator;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.ForbiddenException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.auth.identity.Authorizer;
import io.wharf.server.auth.policy.Permission;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The one place every API request is authenticated and authorised, before its handler runs
 * (a Javalin before-matched handler). It looks up the matched route's {@link Access} in the
 * {@link RouteTable} (none declared: 403), collects the credentials (the bearer token of
 * {@code Authorization}, the client certificates of a TLS connection), asks each
 * {@link Authenticator} in turn (401 when none is presented, one refuses them, or none knows
 * them), sets {@link RequestPrincipal}, and checks the route's permissions with the
 * {@link Authorizer} (403). Anonymous routes skip all of it.
 */
public final class AuthSeam {
  private final List<Authenticator> authenticators;
  private final Authorizer authorizer;
  private final RouteTable table;

  public AuthSeam(List<Authenticator> authenticators, Authorizer authorizer, RouteTable table) {
    this.authenticators = List.copyOf(authenticators);
    this.authorizer = authorizer;
    this.table = table;
  }

  void check(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (endpoint == null) {
      return; // no route: Javalin answers 404/405 and no handler runs
    }
    Optional<Access> declared = table.access(endpoint.method, endpoint.path);
    if (declared.isPresent() && declared.get() instanceof Access.Anonymous) {
      return;
    }
    Principal principal;
    try {
      principal = authenticate(ctx);
    } catch (AuthenticationException e) {
      AuditRecorder.unauthenticated(ctx); // a flood of these is audited in counted windows
      throw e;
    }
    RequestPrincipal.set(ctx, principal);
    switch (declared.orElse(null)) {
      case null -> throw new ForbiddenException("no permission is declared for " + endpoint.method.name() + " "
          + endpoint.path + "; it is denied to everyone");
      case Access.Anonymous a -> { }
      case Access.Authenticated a -> { }
      case Access.PerObject p -> { }
      case Access.Require r -> authorizer.require(principal, r.needs().apply(ctx));
    }
  }

  private static final String REFUSAL = "wharf.auth.refusal";

  /**
   * Checks a long-lived request (a watch) again as if it arrived now: null when it still holds,
   * else {@code "unauthenticated"} or {@code "forbidden"}, with the message in {@link #lastRefusal}.
   */
  String recheck(Context ctx) {
    try {
      check(ctx);
      return null;
    } catch (AuthenticationException e) {
      ctx.attribute(REFUSAL, e.getMessage());
      return "unauthenticated";
    } catch (ForbiddenException e) {
      ctx.attribute(REFUSAL, e.getMessage());
      return "forbidden";
    } catch (RuntimeException storeTrouble) {
      return null; // the store did not answer: keep the stream; the hub ends it if the store is gone
    }
  }

  String lastRefusal(Context ctx) {
    return ctx.attribute(REFUSAL);
  }

  /** For handlers whose permissions depend on the body ({@link Access.PerObject}). */
  void require(Context ctx, List<Permission> needed) {
    authorizer.require(RequestPrincipal.of(ctx), needed);
  }

  Authorizer authorizer() {
    return authorizer;
  }

  private Principal authenticate(Context ctx) {
    Credentials credentials = credentials(ctx);
    if (credentials.none()) {
      throw new AuthenticationException("no credentials");
    }
    for (Authenticator a : authenticators) {
      Optional<Principal> p = a.authenticate(credentials);
      if (p.isPresent()) {
        return p.get();
      }
    }
    throw new AuthenticationException("bad token");
  }

  static Credentials credentials(Context ctx) {
    String header = ctx.header("Authorization");
    String bearer = null;
    if (header != null) {
      if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
        throw new AuthenticationException("the Authorization header must be \"Bearer TOKEN\"");
      }
      bearer = header.substring(7).strip();
    }
    Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
    List<X509Certificate> chain = certs instanceof X509Certificate[] array ? List.of(array) : List.of();
    return new Credentials(bearer, chain, ctx.req().getRemoteAddr());
  }
}
