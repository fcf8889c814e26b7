package io.wharf.server.tls;

import io.wharf.client.tls.RenewalLoop;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
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
 * <p>Threads: one virtual thread, {@code wharf-server-cert-renewal} ({@link RenewalLoop}).
 */
public final class ServerCertificateRenewal implements AutoCloseable, RenewalLoop.Renewable {
  static final Duration RETRY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(ServerCertificateRenewal.class);

  private final ServerTls tls;
  private final InstantSource clock;
  private final Consumer<SSLContext> install;
  private final RenewalLoop loop;

  /** Starts renewing {@code tls}'s certificate ({@link ServerTls#renewable()} must hold). */
  public ServerCertificateRenewal(ServerTls tls, InstantSource clock, Consumer<SSLContext> install) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.install = Objects.requireNonNull(install, "install");
    if (!tls.renewable()) {
      throw new IllegalArgumentException("the server certificate is not renewable by this server");
    }
    this.loop = RenewalLoop.start("wharf-server-cert-renewal", clock, this);
  }

  @Override
  public Instant due() {
    return tls.renewalDue();
  }

  @Override
  public void renew() {
    X509Certificate renewed = tls.renew(clock.instant());
    install.accept(tls.sslContext());
    log.info("renewed the server certificate: serial {}, valid until {}", renewed.getSerialNumber().toString(16),
        renewed.getNotAfter().toInstant());
  }

  @Override
  public void failed(RuntimeException cause, Duration retry) {
    log.warn("renewing the server certificate failed (retrying in {}): {}", retry, cause.getMessage());
  }

  /** {@link #RETRY}, or a tenth of the certificate's life when that is shorter (at least a second). */
  @Override
  public Duration retryAfter() {
    var cert = tls.serverCertificate();
    Duration tenth = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).dividedBy(10);
    Duration retry = tenth.compareTo(RETRY) < 0 ? tenth : RETRY;
    return retry.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retry;
  }

  @Override
  public void close() {
    loop.close();
  }
}
