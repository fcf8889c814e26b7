package io.wharf.agent.tls;

import io.wharf.client.WharfClient;
import io.wharf.client.tls.RenewalLoop;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node certificate when two thirds of its lifetime have passed (day 20 of 30), over
 * mutual TLS with the current one; a failed renewal is retried every {@link #RETRY} until it
 * works or the certificate expires (then the agent must join again with a new token).
 *
 * <p>Threads: one virtual thread, {@code wharf-cert-renewal} ({@link io.wharf.client.tls.RenewalLoop}).
 */
public final class CertificateRenewal implements AutoCloseable, RenewalLoop.Renewable {
  static final Duration RETRY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);

  private final NodeIdentity identity;
  private final WharfClient client;
  private final RenewalLoop loop;

  /** Starts renewing {@code identity} through {@code client} (which uses the identity's SSLContext; not owned). */
  public CertificateRenewal(NodeIdentity identity, WharfClient client, InstantSource clock) {
    this.identity = identity;
    this.client = client;
    this.loop = RenewalLoop.start("wharf-cert-renewal", clock, this);
  }

  /** When {@code identity}'s current certificate is due: two thirds into its lifetime. */
  public static Instant due(NodeIdentity identity) {
    Duration life = Duration.between(identity.notBefore(), identity.notAfter());
    return identity.notBefore().plus(life.multipliedBy(2).dividedBy(3));
  }

  @Override
  public Instant due() {
    return due(identity);
  }

  @Override
  public void renew() {
    identity.renew(client);
    log.info("renewed the node certificate of {}: valid until {}", identity.nodeName(), identity.notAfter());
  }

  @Override
  public Duration retryAfter() {
    return RETRY;
  }

  @Override
  public void failed(RuntimeException cause, Duration retry) {
    log.warn("renewing the node certificate failed (retrying in {}): {}", retry, cause.getMessage());
  }

  @Override
  public void close() {
    loop.close();
  }
}
