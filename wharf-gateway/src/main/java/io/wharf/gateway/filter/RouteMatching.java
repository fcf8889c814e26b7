package io.wharf.gateway.filter;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Finds the request's route in the exchange's snapshot; 404 when none matches. */
final class RouteMatching implements Filter {
  @Override
  public Future<Outcome> apply(Exchange ex, Chain chain) {
    var request = ex.request();
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    String host = request.authority() != null ? request.authority().host() : request.getHeader("host");
    var route = ex.table().match(host, request.path() == null ? "/" : request.path(), headers);
    if (route.isEmpty()) {
      return ex.reply(404, "no route for " + (host == null ? "" : host) + request.path());
    }
    ex.route(route.get());
    return chain.proceed(ex);
  }
}
