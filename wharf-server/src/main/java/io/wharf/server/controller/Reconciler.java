package io.wharf.server.controller;

import java.time.Duration;

/**
 * Converges one object, named by its queue key, towards what is wanted. It must re-read current
 * state (from the {@link ClusterCache}) instead of trusting the notification that queued the key,
 * never mutate cached objects, and be idempotent. Throwing means "retry with backoff".
 */
@FunctionalInterface
public interface Reconciler {
  Result reconcile(String key) throws Exception;

  /** What the worker does with the key afterwards. */
  sealed interface Result {}

  /** Converged (or waiting for a change that will queue the key again). */
  record Done() implements Result {}

  /** Look again after {@code delay} even if nothing changes (e.g. a placement that failed). */
  record RequeueAfter(Duration delay) implements Result {}

  Result DONE = new Done();
}
