package io.wharf.gateway.filter;

import io.vertx.core.Future;

/** Finds the request's route in the exchange's snapshot; 404 when none matches. */
final class RouteMatching implements Filter {
  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    String host = ex.host();
    var route = ex.table().match(host, ex.path(), ex::header);
    if (route.isEmpty()) {
      return ex.reply(404, "no route for " + (host == null ? "" : host) + ex.path());
    }
    ex.route(route.get());
    return chain.proceed(ex);
  }
}
