package io.wharf.gateway.filter;

import io.vertx.core.Vertx;
import io.wharf.gateway.auth.JwtVerifier;
import java.util.Map;
import java.util.Optional;

/**
 * The route's JWT check: a missing, malformed or refused bearer token answers 401 with a
 * {@code WWW-Authenticate: Bearer} challenge (RFC 6750). Checks that may fetch a JWKS run on a
 * worker thread, the rest on the event loop.
 */
final class JwtAuthentication implements Filter {
  private final Vertx vertx;

  JwtAuthentication(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void apply(Exchange ex, Chain chain) {
    JwtVerifier verifier = ex.route().auth();
    if (verifier == null) {
      chain.proceed(ex);
      return;
    }
    String header = ex.header(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ex.reply(401, "bearer token required", Map.of("WWW-Authenticate", "Bearer realm=\"wharf\""));
      return;
    }
    String token = header.substring(7).trim();
    if (!verifier.mayBlock()) {
      decide(ex, chain, verifier.verify(token));
      return;
    }
    // A check that may fetch keys runs on a worker; the rest of the exchange goes back to its event loop.
    vertx.executeBlocking(() -> verifier.verify(token), false).onComplete(ar -> ex.eventLoop().execute(() -> {
      try {
        if (ar.failed()) {
          ex.fail(ar.cause());
        } else {
          decide(ex, chain, ar.result());
        }
      } catch (RuntimeException e) {
        ex.fail(e);
      }
    }));
  }

  private static void decide(Exchange ex, Chain chain, Optional<String> problem) {
    if (problem.isPresent()) {
      String why = problem.get().replace('"', '\'').replace('\\', '/');
      ex.reply(401, "invalid token: " + why, Map.of("WWW-Authenticate",
          "Bearer realm=\"wharf\", error=\"invalid_token\", error_description=\"" + why + "\""));
      return;
    }
    chain.proceed(ex);
  }
}
