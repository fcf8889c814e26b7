package io.wharf.gateway.filter;

import io.vertx.core.Future;

/** Finds the request's route in the exchange's snapshot; 404 when none matches. */
final class RouteMatching implements Filter {
  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    var request = ex.request();
    String host = request.authority() != null ? request.authority().host() : request.getHeader("host");
    var route = ex.table().match(host, request.path() == null ? "/" : request.path(), request::getHeader);
    if (route.isEmpty()) {
      return ex.reply(404, "no route for " + (host == null ? "" : host) + request.path());
    }
    ex.route(route.get());
    return chain.proceed(ex);
  }
}
