package io.wharf.server.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers routes on Javalin together with the {@link Access} each needs, and remembers both:
 * {@link AuthSeam} looks a matched route's access up here, and tests enumerate {@link #routes()}
 * so a new route cannot escape the authorisation matrix. Filled while the server is configured,
 * read-only afterwards.
 */
public final class RouteTable {
  /** One registered route. */
  public record Route(String method, String path, String access) {}

  private final List<Route> routes = new ArrayList<>();
  private final Map<String, Access> byKey = new ConcurrentHashMap<>();
  private JavalinConfig config;

  void on(JavalinConfig config) {
    this.config = config;
  }

  void get(String path, Access access, Handler handler) {
    add(HandlerType.GET, path, access, handler);
  }

  void post(String path, Access access, Handler handler) {
    add(HandlerType.POST, path, access, handler);
  }

  void put(String path, Access access, Handler handler) {
    add(HandlerType.PUT, path, access, handler);
  }

  void delete(String path, Access access, Handler handler) {
    add(HandlerType.DELETE, path, access, handler);
  }

  private void add(HandlerType method, String path, Access access, Handler handler) {
    config.routes.addHttpHandler(method, path, handler);
    routes.add(new Route(method.name(), path, access.describe()));
    byKey.put(method.name() + " " + path, access);
  }

  Optional<Access> access(HandlerType method, String path) {
    return Optional.ofNullable(byKey.get(method.name() + " " + path));
  }

  /** Every route in registration order (which is also Javalin's matching order). */
  public List<Route> routes() {
    return List.copyOf(routes);
  }
}
