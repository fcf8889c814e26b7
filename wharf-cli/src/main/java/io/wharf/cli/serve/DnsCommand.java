package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.ClientSettings;
import io.wharf.dns.ClusterDns;
import io.wharf.dns.DnsConfig;
import io.wharf.model.quantity.Durations;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf dns}: serves the {@code wharf} zone (A/AAAA/SRV of ready instances) over UDP and
 * TCP, following the cluster through the API, until stopped (SIGINT or SIGTERM).
 */
@Command(name = "dns", description = "Run the DNS server: <service>.<namespace>.wharf for ready instances (UDP and TCP).",
    footer = {"", "Example:", "  wharf dns --server http://10.0.0.5:7070 --listen 127.0.0.1:8600 --upstream 1.1.1.1",
        "  dig @127.0.0.1 -p 8600 web.default.wharf", "  dig @127.0.0.1 -p 8600 _http._tcp.web.default.wharf SRV"})
public final class DnsCommand implements Callable<Integer> {

  private final Main root;

  @Option(names = "--server", paramLabel = "ADDR[,ADDR...]",
      description = "The servers' API addresses, comma-separated (default: --addr, $WHARF_ADDR, else the local one).")
  String server;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address to answer on, UDP and TCP (default: 127.0.0.1:8600; port 0 picks a free one).")
  String listen;

  @Option(names = "--zone", paramLabel = "NAME", description = "The zone answered for (default: wharf).")
  String zone = DnsConfig.DEFAULT_ZONE;

  @Option(names = "--ttl", paramLabel = "DURATION", description = "TTL of answers, also of negative ones (default: 5s).")
  String ttl;

  @Option(names = "--upstream", paramLabel = "HOST[:PORT]",
      description = "Forward names outside the zone to this server (default: refuse them).")
  String upstream;

  @Option(names = "--udp-threads", paramLabel = "N", description = "Threads receiving UDP (default: min(4, cores)).")
  Integer udpThreads;

  public DnsCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    ClientSettings servers;
    try {
      servers = server != null ? root.trusting(root.withToken(ClientSettings.of(server))) : root.clientSettings();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + " (from --server)");
    }
    DnsConfig config = config(DnsConfig.defaults(), "--listen", listen, zone, ttl, upstream, udpThreads);
    ClusterDns dns = startDns(servers, config);
    var closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dns.close();
      closed.countDown();
    }, "wharf-dns-shutdown"));
    PrintStream out = root.environment().out();
    out.println("Wharf DNS is running.");
    out.println(dnsLine(dns));
    out.println("Server: " + String.join(",", servers.addresses().stream().map(Object::toString).toList()));
    out.println("Upstream: " + (config.upstream() == null ? "none (other names are refused)"
        : hostPort(config.upstream())));
    out.flush();
    closed.await();
    return ExitCode.OK.code();
  }

  /** The banner line tests and scripts read: {@code DNS: HOST:PORT zone NAME}. */
  static String dnsLine(ClusterDns dns) {
    return "DNS: " + hostPort(dns.server().address()) + " zone " + dns.server().config().zone();
  }

  static ClusterDns startDns(ClientSettings servers, DnsConfig config) {
    try {
      return ClusterDns.start(servers, config);
    } catch (UncheckedIOException e) {
      throw new CliException(ExitCode.ERROR, e.getMessage());
    }
  }

  /** The options over {@code base}; each bad value is a usage error naming its option. */
  static DnsConfig config(DnsConfig base, String listenOption, String listen, String zone, String ttl, String upstream,
      Integer udpThreads) {
    DnsConfig config = base;
    try {
      if (listen != null) {
        config = config.withListen(DnsConfig.hostPort(listen, base.listen(), listenOption));
      }
      if (upstream != null) {
        config = config.withUpstream(DnsConfig.hostPort(upstream,
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 53), "--upstream"));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (ttl != null) {
      Duration parsed = Durations.parse(ttl).orElseThrow(() ->
          CliException.usage("--ttl: '" + ttl + "' is not a duration (e.g. 5s, 1m)"));
      if (parsed.toMillis() % 1000 != 0) {
        throw CliException.usage("--ttl: must be whole seconds, got " + ttl);
      }
      config = config.withTtl(parsed);
    }
    if (udpThreads != null) {
      if (udpThreads < 1 || udpThreads > 64) {
        throw CliException.usage("--udp-threads: must be within 1..64, got " + udpThreads);
      }
      config = config.withUdpThreads(udpThreads);
    }
    try {
      new io.wharf.dns.answer.Zone(zone, 0, null);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--" + e.getMessage());
    }
    return config.withZone(zone);
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
