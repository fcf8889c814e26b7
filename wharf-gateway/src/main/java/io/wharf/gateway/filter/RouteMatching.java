package io.wharf.gateway.filter;


/** Finds the request's route in the exchange's snapshot; 404 when none matches. */
final class RouteMatching implements Filter {
  @Override
  public void apply(Exchange ex, Chain chain) {
    String host = ex.host();
    var route = ex.table().match(host, ex.path(), ex::header);
    if (route.isEmpty()) {
      ex.reply(404, "no route for " + (host == null ? "" : host) + ex.path());
      return;
    }
    ex.route(route.get());
    chain.proceed(ex);
  }
}
