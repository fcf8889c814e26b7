package io.wharf.bench.dns;

import io.wharf.dns.DnsConfig;
import io.wharf.dns.DnsServer;
import io.wharf.dns.records.DnsRecords;
import io.wharf.dns.records.Endpoint;
import io.wharf.dns.records.EndpointPort;
import io.wharf.dns.records.ServiceEndpoints;
import io.wharf.testkit.external.ExternalProgram;
import io.wharf.testkit.net.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wharf DNS vs dnsmasq, side by side in one run on loopback: both serve the same {@code names}
 * A records ({@code svc-NNNN.default.wharf}; dnsmasq from an addn-hosts file), on different
 * ports, and dnsperf asks each the same query file, in alternating rounds (a short warm-up round
 * each first, not counted). Prints each round, the best round of each with their ratio, and the
 * median of the per-round ratios (the steadier figure on a shared machine).
 *
 * <p>Arguments: [names (1000)] [seconds per round (10)] [rounds (3)] [wharf UDP threads (2)]
 * [dnsperf clients (4)] [dnsperf threads (1)].
 */
public final class DnsBench {

  private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
  private static final Pattern LATENCY = Pattern.compile("Average Latency \\(s\\):\\s+([0-9.]+)");
  private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");

  private DnsBench() {}

  record Round(String server, double qps, double latencyMs, long lost) {}

  public static void main(String[] args) throws Exception {
    int names = arg(args, 0, 1000);
    int seconds = arg(args, 1, 10);
    int rounds = arg(args, 2, 3);
    int udpThreads = arg(args, 3, 2);
    int clients = arg(args, 4, 4);
    int threads = arg(args, 5, 1);
    Path dnsperf = ExternalProgram.find("dnsperf", "wharf.dnsperf", Path.of("/usr/bin/dnsperf"))
        .orElseThrow(() -> new IllegalStateException("dnsperf not found (Debian package dnsperf)"));
    Path dnsmasq = ExternalProgram.find("dnsmasq", "wharf.dnsmasq", Path.of("/usr/sbin/dnsmasq"))
        .orElseThrow(() -> new IllegalStateException("dnsmasq not found (Debian package dnsmasq-base)"));

    Path dir = Files.createTempDirectory("wharf-bench-dns");
    List<String> hosts = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    List<ServiceEndpoints> services = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      String name = String.format(Locale.ROOT, "svc-%04d", i);
      String address = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
      hosts.add(address + " " + name + ".default.wharf");
      queries.add(name + ".default.wharf A");
      services.add(new ServiceEndpoints("default", name, List.of(new Endpoint(name + "-1",
          InetAddress.getByName(address), List.of(EndpointPort.tcp("http", 8080))))));
    }
    Path hostsFile = Files.write(dir.resolve("hosts"), hosts, StandardCharsets.US_ASCII);
    Path queryFile = Files.write(dir.resolve("queries"), queries, StandardCharsets.US_ASCII);

    List<Integer> ports = LoopbackPorts.free(2);
    int wharfPort = ports.get(0);
    int dnsmasqPort = ports.get(1);
    Process masq = new ProcessBuilder(dnsmasq.toString(), "--keep-in-foreground", "--no-resolv", "--no-hosts",
        "--addn-hosts=" + hostsFile, "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + dnsmasqPort,
        "--local-ttl=5", "--pid-file=", "--log-facility=-", "--conf-file=/dev/null")
        .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
    DnsServer wharf = DnsServer.start(DnsConfig.defaults().withUdpThreads(udpThreads)
        .withListen(new InetSocketAddress("127.0.0.1", wharfPort)));
    try {
      wharf.update(new DnsRecords(1, services));
      System.out.printf(Locale.ROOT, "DNS benchmark: %d names, dnsperf -c %d -T %d, %d s x %d rounds; "
          + "wharf on :%d (%d UDP threads), dnsmasq %s on :%d%n", names, clients, threads, seconds, rounds,
          wharfPort, udpThreads, version(dnsmasq), dnsmasqPort);
      run(dnsperf, queryFile, "wharf", wharfPort, 3, clients, threads);
      run(dnsperf, queryFile, "dnsmasq", dnsmasqPort, 3, clients, threads);
      Round bestWharf = null;
      Round bestMasq = null;
      List<Double> ratios = new ArrayList<>();
      for (int r = 1; r <= rounds; r++) {
        Round w = run(dnsperf, queryFile, "wharf", wharfPort, seconds, clients, threads);
        Round m = run(dnsperf, queryFile, "dnsmasq", dnsmasqPort, seconds, clients, threads);
        print(r, w);
        print(r, m);
        ratios.add(w.qps() / m.qps());
        bestWharf = bestWharf == null || w.qps() > bestWharf.qps() ? w : bestWharf;
        bestMasq = bestMasq == null || m.qps() > bestMasq.qps() ? m : bestMasq;
      }
      System.out.printf(Locale.ROOT, "best: wharf %.0f QPS (%.3f ms avg), dnsmasq %.0f QPS (%.3f ms avg), "
          + "ratio wharf/dnsmasq %.2f (target >= 0.80)%n", bestWharf.qps(), bestWharf.latencyMs(), bestMasq.qps(),
          bestMasq.latencyMs(), bestWharf.qps() / bestMasq.qps());
      ratios.sort(null);
      System.out.printf(Locale.ROOT, "ratio per round (same round, back to back): %s, median %.2f%n",
          ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(), ratios.get(ratios.size() / 2));
    } finally {
      wharf.close();
      masq.destroy();
      masq.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void print(int round, Round r) {
    System.out.printf(Locale.ROOT, "round %d  %-8s %10.0f QPS  avg latency %.3f ms  lost %d%n", round, r.server(),
        r.qps(), r.latencyMs(), r.lost());
  }

  private static Round run(Path dnsperf, Path queries, String server, int port, int seconds, int clients,
      int threads) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(dnsperf.toString(), "-s", "127.0.0.1", "-p", Integer.toString(port),
        "-d", queries.toString(), "-l", Integer.toString(seconds), "-c", Integer.toString(clients),
        "-T", Integer.toString(threads), "-q", "200", "-t", "2")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(Duration.ofSeconds(seconds + 30).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("dnsperf against " + server + " failed:\n" + out);
    }
    return new Round(server, number(QPS, out), number(LATENCY, out) * 1000, (long) number(LOST, out));
  }

  private static double number(Pattern pattern, String out) {
    Matcher m = pattern.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("dnsperf output without " + pattern + ":\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String version(Path dnsmasq) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(dnsmasq.toString(), "--version").redirectErrorStream(true).start();
    String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    p.waitFor();
    Matcher m = Pattern.compile("version (\\S+)").matcher(first);
    return m.find() ? m.group(1) : "?";
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
