package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.watch.Change;
import io.wharf.server.watch.Subscription;
import io.wharf.server.watch.WatchFilter;
import io.wharf.server.watch.WatchHub;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/watch}: a Server-Sent Events stream of changes.
 *
 * <p>Thread model: the request's own (virtual) thread is the client's writer. It drains the
 * client's {@link Subscription} and blocks on the socket; the hub never waits for it. Every
 * revision's changes are sent together and only the last event of a revision carries
 * {@code id:}, so {@code Last-Event-ID} always names a revision the client saw completely.
 */
final class WatchRoute {
  private final WatchHub hub;
  private final Duration keepAlive;
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition idle = lock.newCondition();
  private int open; // guarded by lock

  private final AuthSeam seam;

  WatchRoute(WatchHub hub, Duration keepAlive, AuthSeam seam) {
    this.hub = hub;
    this.keepAlive = keepAlive;
    this.seam = seam;
  }

  void serve(Context ctx) throws InterruptedException {
    Set<ResourceType> kinds = kinds(QueryParameters.single(ctx, "kinds"));
    String namespace = QueryParameters.namespace(ctx);
    String node = QueryParameters.node(ctx);
    long from = QueryParameters.revision(ctx, "fromRevision");
    String lastEventId = ctx.header("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      from = QueryParameters.revision("Last-Event-ID", lastEventId) + 1;
    }
    HttpServletResponse res = ctx.res();
    opened(1);
    try (Subscription subscription = hub.subscribe(new WatchFilter(kinds, namespace, node), from)) {
      res.setStatus(200);
      res.setContentType("text/event-stream;charset=utf-8");
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("X-Accel-Buffering", "no");
      OutputStream out = res.getOutputStream();
      write(out, ": watching\n\n");
      while (true) {
        Subscription.Item item = subscription.poll(keepAlive);
        switch (item) {
          case null -> {
            // A stream outlives the check made when it opened: at each keep-alive its credentials
            // and permissions are checked again, so a revoked token or a withdrawn grant ends
            // it within one keep-alive period (the client's reconnect then gets 401/403).
            String refused = seam.recheck(ctx);
            if (refused != null) {
              write(out, "event: closed\ndata: {\"reason\":\"" + refused + "\",\"message\":"
                  + quote(seam.lastRefusal(ctx)) + "}\n\n");
              return;
            }
            write(out, ": keep-alive\n\n");
          }
          case Subscription.Batch batch -> write(out, render(batch));
          case Subscription.End end -> {
            write(out, render(end));
            return;
          }
        }
      }
    } catch (IOException clientLeft) {
      // The client disconnected; closing the subscription stops producing for it.
    } finally {
      opened(-1);
    }
  }

  private void opened(int delta) {
    lock.lock();
    try {
      open += delta;
      if (open == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code timeout} for every stream to finish (after the hub ended them). */
  void awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (open > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !idle.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String render(Subscription.Batch batch) {
    StringBuilder sb = new StringBuilder();
    List<Change> changes = batch.changes();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (i == changes.size() - 1) {
        sb.append("id: ").append(batch.revision()).append('\n');
      }
      sb.append("event: ").append(c.type()).append('\n');
      sb.append("data: ").append(c.data()).append("\n\n");
    }
    return sb.toString();
  }

  static String render(Subscription.End end) {
    if (end.reason() == Subscription.End.Reason.COMPACTED) {
      return "event: compacted\ndata: {\"compactRevision\":" + end.compactRevision() + "}\n\n";
    }
    return "event: closed\ndata: {\"reason\":\"" + end.reason().name().toLowerCase(Locale.ROOT)
        + "\",\"message\":" + quote(end.message()) + "}\n\n";
  }

  private static String quote(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
        .quoteAsString(s == null ? "" : s)) + "\"";
  }

  private static Set<ResourceType> kinds(String raw) {
    Set<ResourceType> out = new HashSet<>();
    if (raw == null || raw.isBlank()) {
      return out;
    }
    for (String part : raw.split(",", -1)) {
      String p = part.strip();
      out.add(ResourceType.byPlural(p).orElseThrow(() ->
          ApiError.badParameter("kinds", "unknown kind \"" + p + "\"; use plurals such as services,instances")
              .failure()));
    }
    return out;
  }
}
