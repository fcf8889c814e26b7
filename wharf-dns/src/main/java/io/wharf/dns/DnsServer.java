package io.wharf.dns;

import io.wharf.dns.answer.PacketHandler;
import io.wharf.dns.answer.Zone;
import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.transport.Forwarder;
import io.wharf.dns.transport.TcpListener;
import io.wharf.dns.transport.UdpListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running DNS server: UDP and TCP listeners on one address and port, answering from the last
 * {@link DnsRecords} given to {@link #update} (none at first: the zone has only its apex).
 * Whoever feeds it (a {@link io.wharf.dns.feed.ClusterFeed}, a test) calls {@link #update}.
 *
 * <p>Thread safety: {@link #update} from any thread (each call replaces the answers whole);
 * {@link #close()} stops TCP, then UDP, within a few seconds.
 */
public final class DnsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  private final DnsConfig config;
  private final PacketHandler handler;
  private final UdpListener udp;
  private final TcpListener tcp;

  private DnsServer(DnsConfig config, PacketHandler handler, UdpListener udp, TcpListener tcp) {
    this.config = config;
    this.handler = handler;
    this.udp = udp;
    this.tcp = tcp;
  }

  /**
   * Binds UDP, then TCP on the same port (with port 0, a port free for both), and serves.
   *
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalArgumentException when the zone is not a valid name
   */
  public static DnsServer start(DnsConfig config) {
    InetAddress host = config.listen().getAddress();
    Zone zone = new Zone(config.zone(), (int) config.ttl().toSeconds(),
        host.isAnyLocalAddress() ? null : host);
    PacketHandler handler = new PacketHandler(zone, config.maxUdpPayload(), config.upstream() != null);
    Forwarder forwarder = config.upstream() == null ? null
        : new Forwarder(config.upstream(), config.forwardTimeout());
    int attempts = config.listen().getPort() == 0 ? 5 : 1;
    for (int attempt = 1; ; attempt++) {
      UdpListener udp = null;
      try {
        udp = UdpListener.start(config.listen(), config.udpThreads(), handler, forwarder,
            config.maxUdpPayload());
        TcpListener tcp = TcpListener.start(udp.address(), handler, forwarder,
            config.maxUdpPayload(), config.maxTcpConnections(), config.tcpIdleTimeout());
        log.info("DNS serving zone {} on {} (udp, tcp){}", zone.origin(), udp.address(),
            forwarder == null ? "" : ", forwarding other names to " + forwarder.upstream());
        return new DnsServer(config, handler, udp, tcp);
      } catch (IOException e) {
        if (udp != null) {
          udp.close();
        }
        if (!(e instanceof BindException) || attempt >= attempts) {
          throw new UncheckedIOException("cannot listen on " + describe(config.listen()) + ": "
              + e.getMessage(), e);
        }
      }
    }
  }

  private static String describe(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** The bound address (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return udp.address();
  }

  public DnsConfig config() {
    return config;
  }

  /** Answers from {@code records} from now on (encoded here, on the caller's thread). */
  public void update(DnsRecords records) {
    handler.update(records);
  }

  @Override
  public void close() {
    try {
      tcp.close();
    } finally {
      udp.close();
    }
  }
}
