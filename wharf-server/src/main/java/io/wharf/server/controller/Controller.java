package io.wharf.server.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} over the keys of a {@link WorkQueue} with {@code workers} virtual
 * threads. A key that throws is retried with backoff; one that returns
 * {@link Reconciler.RequeueAfter} is looked at again after that delay. Closing ends the queue
 * and waits for the workers to finish their current key.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  private final String name;
  private final Reconciler reconciler;
  private final WorkQueue queue;
  private final List<Thread> workers = new ArrayList<>();

  public Controller(String name, Reconciler reconciler, WorkQueue queue, int workers) {
    this.name = name;
    this.reconciler = reconciler;
    this.queue = queue;
    for (int i = 0; i < workers; i++) {
      this.workers.add(Thread.ofVirtual().name("wharf-" + name + "-" + i).start(this::work));
    }
  }

  public WorkQueue queue() {
    return queue;
  }

  private void work() {
    while (true) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        return;
      }
      try {
        Reconciler.Result result = reconciler.reconcile(key);
        queue.forget(key);
        if (result instanceof Reconciler.RequeueAfter after) {
          queue.addAfter(key, after.delay());
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception | AssertionError e) {
        Duration delay = queue.addRateLimited(key);
        log.warn("{}: reconciling {} failed (retry in {} ms): {}", name, key, delay.toMillis(), e.toString());
        log.debug("{}: failure of {}", name, key, e);
      } finally {
        queue.done(key);
      }
    }
  }

  @Override
  public void close() {
    queue.close();
    for (Thread t : workers) {
      try {
        if (!t.join(Duration.ofSeconds(5))) {
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
