package io.wharf.server.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a running server's own certificate when two thirds of its lifetime have passed (as agents
 * do theirs, {@code agent.tls.CertificateRenewal}) and hands the new {@link SSLContext} to
 * {@code install}, which swaps it into the HTTPS listener: connections opened before keep the
 * certificate they were opened with, new ones get the new one. A failed renewal is retried after
 * {@link #RETRY} (sooner for a certificate whose whole life is shorter), until the certificate
 * expires.
 *
 * <p>Threads: one virtual thread, {@code wharf-server-cert-renewal}, waiting on a condition so
 * {@link #close()} ends it at once.
 */
public final class ServerCertificateRenewal implements AutoCloseable {
  static final Duration RETRY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(ServerCertificateRenewal.class);

  private final ServerTls tls;
  private final InstantSource clock;
  private final Consumer<SSLContext> install;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean closed; // guarded by lock

  /** Starts renewing {@code tls}'s certificate ({@link ServerTls#renewable()} must hold). */
  public ServerCertificateRenewal(ServerTls tls, InstantSource clock, Consumer<SSLContext> install) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.install = Objects.requireNonNull(install, "install");
    if (!tls.renewable()) {
      throw new IllegalArgumentException("the server certificate is not renewable by this server");
    }
    this.thread = Thread.ofVirtual().name("wharf-server-cert-renewal").start(this::run);
  }

  private void run() {
    Instant next = tls.renewalDue();
    while (waitUntil(next)) {
      try {
        X509Certificate renewed = tls.renew(clock.instant());
        install.accept(tls.sslContext());
        log.info("renewed the server certificate: serial {}, valid until {}", renewed.getSerialNumber().toString(16),
            renewed.getNotAfter().toInstant());
        next = tls.renewalDue();
      } catch (RuntimeException e) {
        Duration retry = retryAfter();
        log.warn("renewing the server certificate failed (retrying in {}): {}", retry, e.getMessage());
        next = clock.instant().plus(retry);
      }
    }
  }

  /** {@link #RETRY}, or a tenth of the certificate's life when that is shorter (at least a second). */
  private Duration retryAfter() {
    var cert = tls.serverCertificate();
    Duration tenth = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).dividedBy(10);
    Duration retry = tenth.compareTo(RETRY) < 0 ? tenth : RETRY;
    return retry.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retry;
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
