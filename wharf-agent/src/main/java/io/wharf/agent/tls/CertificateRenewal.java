package io.wharf.agent.tls;

import io.wharf.client.WharfClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node certificate when two thirds of its lifetime have passed (day 20 of 30), over
 * mutual TLS with the current one; a failed renewal is retried every {@link #RETRY} until it
 * works or the certificate expires (then the agent must join again with a new token).
 *
 * <p>Threads: one virtual thread, {@code wharf-cert-renewal}, waiting on a condition so
 * {@link #close()} ends it at once.
 */
public final class CertificateRenewal implements AutoCloseable {
  static final Duration RETRY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);

  private final NodeIdentity identity;
  private final WharfClient client;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean closed; // guarded by lock

  /** Starts renewing {@code identity} through {@code client} (which uses the identity's SSLContext; not owned). */
  public CertificateRenewal(NodeIdentity identity, WharfClient client, InstantSource clock) {
    this.identity = identity;
    this.client = client;
    this.clock = clock;
    this.thread = Thread.ofVirtual().name("wharf-cert-renewal").start(this::run);
  }

  /** When {@code identity}'s current certificate is due: two thirds into its lifetime. */
  public static Instant due(NodeIdentity identity) {
    Duration life = Duration.between(identity.notBefore(), identity.notAfter());
    return identity.notBefore().plus(life.multipliedBy(2).dividedBy(3));
  }

  private void run() {
    Instant next = due(identity);
    while (waitUntil(next)) {
      try {
        identity.renew(client);
        log.info("renewed the node certificate of {}: valid until {}", identity.nodeName(), identity.notAfter());
        next = due(identity);
      } catch (RuntimeException e) {
        log.warn("renewing the node certificate failed (retrying in {}): {}", RETRY, e.getMessage());
        next = clock.instant().plus(RETRY);
      }
    }
  }

  /** Waits until {@code when}; false when closed first. */
  private boolean waitUntil(Instant when) {
    lock.lock();
    try {
      while (!closed) {
        long millis = Duration.between(clock.instant(), when).toMillis();
        if (millis <= 0) {
          return true;
        }
        changed.await(Math.min(millis, TimeUnit.HOURS.toMillis(1)), TimeUnit.MILLISECONDS);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
