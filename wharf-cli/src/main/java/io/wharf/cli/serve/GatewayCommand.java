package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.gateway.Gateway;
import io.wharf.gateway.GatewaySettings;
import io.wharf.gateway.WatchedEndpoints;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf gateway --server URL --listen HOST:PORT}: runs the L7 gateway, following the
 * server's routes and ready instances, until stopped.
 */
@Command(name = "gateway", description = "Run the L7 gateway: route HTTP traffic to ready instances.",
    footer = {"", "Example:", "  wharf gateway --server http://10.0.0.5:7070 --listen 0.0.0.0:8080 --admin 127.0.0.1:9090"})
public final class GatewayCommand implements Callable<Integer> {

  private final Main root;

  @Option(names = "--server", paramLabel = "ADDR[,ADDR...]",
      description = "The servers' API addresses, comma-separated (default: --addr, $WHARF_ADDR, else the local one).")
  String server;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where to take traffic (default: 127.0.0.1:8080).")
  String listen = "127.0.0.1:8080";

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Metrics (/metrics) and /healthz (default: 127.0.0.1:9090; \"off\" for none).")
  String admin = "127.0.0.1:9090";

  @Option(names = "--event-loops", paramLabel = "N", description = "Event loops (default: the number of CPUs).")
  Integer eventLoops;

  @Option(names = "--header-timeout", paramLabel = "DURATION",
      description = "How long a client may take to send a request's headers before it is answered 408 and "
          + "disconnected (default: 10s).")
  String headerTimeout;

  public GatewayCommand(Main root) {
    this.root = root;
  }

  /** {@code HOST:PORT} as host and port; a usage error naming {@code option} otherwise. */
  static HostPort hostPort(String text, String option) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw CliException.usage(option + " must be HOST:PORT, got \"" + text + "\"");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw CliException.usage(option + " must be HOST:PORT, got \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw CliException.usage(option + " port must be within 0..65535, got " + port);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(host, port);
  }

  record HostPort(String host, int port) {}

  @Override
  public Integer call() throws InterruptedException {
    ClientSettings servers;
    try {
      servers = server != null ? root.trusting(root.withToken(ClientSettings.of(server))) : root.clientSettings();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + " (from --server)");
    }
    HostPort proxy = hostPort(listen, "--listen");
    HostPort adminAt = "off".equals(admin) ? new HostPort("127.0.0.1", -1) : hostPort(admin, "--admin");
    if (eventLoops != null && eventLoops < 1) {
      throw CliException.usage("--event-loops must be at least 1, got " + eventLoops);
    }
    GatewaySettings settings = GatewaySettings.listen(proxy.host(), proxy.port(), adminAt.host(), adminAt.port());
    if (eventLoops != null) {
      settings = settings.withEventLoops(eventLoops);
    }
    if (headerTimeout != null) {
      java.time.Duration d = io.wharf.model.quantity.Durations.parse(headerTimeout).orElseThrow(() ->
          CliException.usage("--header-timeout: '" + headerTimeout + "' is not a duration (e.g. 10s, 500ms)"));
      if (!d.isPositive()) {
        throw CliException.usage("--header-timeout: must be positive, got " + headerTimeout);
      }
      settings = settings.withHeaderTimeout(d);
    }
    WharfClient client = new WharfClient(servers);
    Gateway gateway;
    try {
      gateway = Gateway.start(settings, new WatchedEndpoints(client),
          new io.wharf.gateway.auth.ClusterKeys(client.baseUrl(), servers.sslContext()));
    } catch (RuntimeException e) {
      client.close();
      throw new CliException(ExitCode.ERROR, "cannot start the gateway: " + RunningControlPlane.rootMessage(e));
    }
    var closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      client.close();
      closed.countDown();
    }, "wharf-gateway-shutdown"));
    PrintStream out = root.environment().out();
    out.println("Wharf gateway is running.");
    out.println("Server: " + String.join(",", servers.addresses().stream().map(Object::toString).toList()));
    out.println(banner(gateway));
    out.flush();
    closed.await();
    return ExitCode.OK.code();
  }

  /** {@code Gateway: URL} (stable for scripts and tests) and, when on, {@code Metrics: URL}. */
  static String banner(Gateway gateway) {
    String line = "Gateway: http://" + gateway.address().getHostString() + ":" + gateway.address().getPort();
    if (gateway.adminAddress() != null) {
      line += "\nMetrics: http://" + gateway.adminAddress().getHostString() + ":" + gateway.adminAddress().getPort()
          + "/metrics";
    }
    return line;
  }
}
