package io.wharf.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    JwtVerifier verifier = ex.route().auth();
    if (verifier == null) {
      return chain.proceed(ex);
    }
    String header = ex.header("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return ex.reply(401, "bearer token required", Map.of("WWW-Authenticate", "Bearer realm=\"wharf\""));
    }
    String token = header.substring(7).trim();
    if (!verifier.mayBlock()) {
      return decide(ex, chain, verifier.verify(token));
    }
    // A check that may fetch keys runs on a worker; the rest of the exchange goes back to its event loop.
    Promise<Outcome> done = Promise.promise();
    vertx.executeBlocking(() -> verifier.verify(token), false).onComplete(ar -> ex.eventLoop().execute(() -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else {
        decide(ex, chain, ar.result()).onComplete(done);
      }
    }));
    return done.future();
  }

  private static Future<Outcome> decide(Exchange ex, Chain chain, Optional<String> problem) {
    if (problem.isPresent()) {
      String why = problem.get().replace('"', '\'').replace('\\', '/');
      return ex.reply(401, "invalid token: " + why, Map.of("WWW-Authenticate",
          "Bearer realm=\"wharf\", error=\"invalid_token\", error_description=\"" + why + "\""));
    }
    return chain.proceed(ex);
  }
}
