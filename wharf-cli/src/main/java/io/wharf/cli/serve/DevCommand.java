package io.wharf.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.stack.PlanView;
import io.wharf.cli.stack.StackInput;
import io.wharf.cli.stack.StackSource;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.client.stack.Plan;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.Principal;
import io.wharf.store.StoreException;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf dev}: opens the embedded store, starts the control plane on it and a node agent
 * beside it (its endpoint on a free loopback port), prints a banner (its {@code API: URL} line is
 * stable for scripts and tests), optionally applies a stack and says how to reach its services,
 * then serves until the process is told to stop. Shutdown runs in a JVM shutdown hook so SIGINT
 * and SIGTERM both stop the agent with its workloads, then the control plane, then the store,
 * leaving the data directory clean.
 */
@Command(name = "dev", description = "Run the control plane and a node agent on an embedded store (laptop mode).",
    footer = {"", "Example:", "  wharf dev --stack examples/demo.yaml"})
public final class DevCommand implements Callable<Integer> {

  /** The namespace of the principals wharf dev's own components act as. */
  static final String SYSTEM_NAMESPACE = "wharf-system";
  private static final String VIEWER = io.wharf.server.auth.policy.BuiltInRoles.VIEWER;
  private static final String ADMIN = io.wharf.server.auth.policy.BuiltInRoles.ADMIN;

  /** Relative to the working directory, so each project checkout gets its own state. */
  public static final String DEFAULT_DATA_DIR = ".wharf-dev";

  private final Main root;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the store keeps its data (default: ./" + DEFAULT_DATA_DIR + ").")
  Path dataDir;

  @Option(names = "--port", paramLabel = "N",
      description = "API port (default: 7070; 0 picks a free one).")
  int port = 7070;

  @Option(names = "--bind", paramLabel = "HOST",
      description = "Address to listen on (default: 127.0.0.1).")
  String bind = "127.0.0.1";

  @Option(names = "--gateway", paramLabel = "HOST:PORT",
      description = "Where the built-in gateway takes traffic (default: 127.0.0.1:0, a free port; \"off\" for none).")
  String gateway = "127.0.0.1:0";

  @picocli.CommandLine.Mixin
  SecretsKeyOption secretsKey = new SecretsKeyOption();

  @Option(names = "--stack", paramLabel = "FILE", description = "Apply this stack once started.")
  String stack;

  @Option(names = "--tls",
      description = "Serve the API over HTTPS with a generated CA (DATA-DIR/tls/ca.crt) as 'wharf server' does. Off by "
          + "default: dev listens on loopback only, and plain HTTP keeps the quick start free of certificates.")
  boolean tls;

  /** The in-process clients' TLS (the dev node's certificate and the CA); null on plain HTTP. */
  private javax.net.ssl.SSLContext clientTls;

  @Option(names = "--dns", paramLabel = "HOST:PORT|off",
      description = "Where the DNS server answers for the wharf zone (default: 127.0.0.1:8600, skipped with a "
          + "warning when taken; off: no DNS).")
  String dns;

  @picocli.CommandLine.Mixin
  AuditOptions audit = new AuditOptions();

  public DevCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be within 0..65535, got " + port);
    }
    Path dir = root.environment().workingDirectory()
        .resolve(dataDir != null ? dataDir : Path.of(DEFAULT_DATA_DIR)).toAbsolutePath()
        .normalize();
    GatewayCommand.HostPort gatewayAt = "off".equals(gateway) ? null : GatewayCommand.hostPort(gateway, "--gateway");
    StackSource stackSource = stack == null ? null : StackInput.read(stack, root.environment());
    io.wharf.dns.DnsConfig dnsConfig = "off".equals(dns) ? null : DnsCommand.config(io.wharf.dns.DnsConfig.defaults(),
        "--dns", dns, io.wharf.dns.DnsConfig.DEFAULT_ZONE, null, null, null);
    RunningControlPlane running = RunningControlPlane.start(() -> openStore(dir),
        "embedded store in " + dir, RunningControlPlane.settings(root.environment(), bind, port, "embedded")
            .withTls(tls ? io.wharf.server.tls.TlsOptions.generated(dir, java.util.List.of()) : null),
        ControlPlane.Tuning.DEFAULTS, secretsKey.sealer(root.environment(), dir), audit.settings());
    clientTls = running.controlPlane().tls().map(t -> DevTls.nodeContext(t, AgentSettings.defaultNodeName())).orElse(null);
    PrintStream out = root.environment().out();
    String address = running.controlPlane().apiAddress().toString();
    String nodeName = AgentSettings.defaultNodeName();
    NodeAgent agent;
    try {
      // Workloads of dev mode end with it; the next `wharf dev` starts them again from the store.
      // The in-process components act as their own principals with tokens that live as long as
      // this process: the agent as its node, DNS and the gateway as read-only services.
      agent = NodeAgent.start(new AgentSettings(running.controlPlane().apiAddress(), nodeName,
          "127.0.0.1", dir.resolve("agent"), "127.0.0.1", 0, java.util.Map.of(), null, null, true)
          .withToken(running.controlPlane().internalToken(Principal.node(nodeName), null)), null, clientTls);
    } catch (RuntimeException e) {
      running.close();
      throw new CliException(ExitCode.ERROR, "cannot start the agent: " + RunningControlPlane.rootMessage(e));
    }
    running.closeFirst(agent);
    String gatewayLine = gatewayAt == null ? null : startGateway(running, address, gatewayAt, clientTls);
    out.print(banner(address, dir, agent.settings().nodeName(), agent.endpoint().toString()));
    running.bootstrapLine(root.environment()).ifPresent(line -> {
      out.println(line);
      try {
        java.nio.file.Path written = io.wharf.cli.access.CredentialsFile.write(root.environment(), address,
            running.controlPlane().bootstrapToken().orElseThrow());
        out.println("Credentials: " + written + " (the CLI on this machine uses them)");
      } catch (CliException e) {
        out.println("Credentials: not saved (" + e.getMessage() + "); use the admin token above");
      }
    });
    running.controlPlane().tls().ifPresent(t -> out.println("CA: " + t.caFile() + " (export WHARF_CACERT=" + t.caFile()
        + ")"));
    out.println(startDns(running, dnsConfig));
    if (gatewayLine != null) {
      out.println(gatewayLine);
    }
    out.flush();
    if (stackSource != null) {
      try {
        String token = running.controlPlane().internalToken(Principal.service(SYSTEM_NAMESPACE, "dev"), ADMIN);
        applyStack(address, token, stackSource, out);
        out.print(reach(address, token, clientTls));
        out.flush();
      } catch (RuntimeException e) {
        running.close();
        throw e;
      }
    }
    running.awaitClosed();
    return ExitCode.OK.code();
  }

  /** The gateway beside the control plane, following its routes; returns its banner line. */
  private static String startGateway(RunningControlPlane running, String address, GatewayCommand.HostPort at,
      javax.net.ssl.SSLContext tls) {
    WharfClient client = new WharfClient(ClientSettings.of(address).withSslContext(tls).withToken(
        running.controlPlane().internalToken(Principal.service(SYSTEM_NAMESPACE, "gateway"), VIEWER)));
    try {
      io.wharf.gateway.Gateway g = io.wharf.gateway.Gateway.start(
          io.wharf.gateway.GatewaySettings.listen(at.host(), at.port(), at.host(), -1),
          new io.wharf.gateway.WatchedEndpoints(client), new io.wharf.gateway.auth.ClusterKeys(client.baseUrl(), tls));
      running.closeFirst(client);
      running.closeFirst(g);
      return GatewayCommand.banner(g);
    } catch (RuntimeException e) {
      client.close();
      running.close();
      throw new CliException(ExitCode.ERROR, "cannot start the gateway: " + RunningControlPlane.rootMessage(e));
    }
  }

  /** Starts DNS beside the control plane unless {@code --dns off}; returns the banner's DNS line. */
  private String startDns(RunningControlPlane running, io.wharf.dns.DnsConfig config) {
    if (config == null) {
      return "DNS: off";
    }
    try {
      io.wharf.dns.ClusterDns started = DnsCommand.startDns(
          ClientSettings.of(running.controlPlane().apiAddress().toString()).withSslContext(clientTls).withToken(
              running.controlPlane().internalToken(Principal.service(SYSTEM_NAMESPACE, "dns"), VIEWER)), config);
      running.closeFirst(started);
      return DnsCommand.dnsLine(started);
    } catch (CliException e) {
      if (dns != null) {
        running.close();
        throw e;
      }
      return "DNS: off (" + e.getMessage() + "; choose another address with --dns)";
    }
  }

  static EmbeddedStore openStore(Path dir) {
    try {
      return EmbeddedStore.open(dir);
    } catch (StoreException e) {
      throw new CliException(ExitCode.ERROR, e.getMessage()
          + " (is another wharf process using this data directory?)");
    }
  }

  /** What {@code wharf dev} prints once serving; the {@code API:} line is for machines too. */
  public static String banner(String apiAddress, Path dataDir, String node, String agentEndpoint) {
    return """
        Wharf dev is running (control plane and a node agent on the embedded store).
        API: %1$s
        Agent: node %3$s, endpoint %4$s
        Data: %2$s

        In another terminal:
          export WHARF_ADDR=%1$s
          wharf apply -f examples/demo.yaml
          wharf ps
          wharf logs -f frontend
          wharf events --follow

        Press Ctrl-C to stop.
        """.formatted(apiAddress, dataDir, node, agentEndpoint);
  }

  /**
   * How to reach the services with fixed host ports, one {@code Reach NAME: URL} line each
   * (stable for scripts and tests).
   */
  static String reach(String apiAddress, String token, javax.net.ssl.SSLContext tls) {
    StringBuilder out = new StringBuilder();
    try (WharfClient api = new WharfClient(ClientSettings.of(apiAddress).withSslContext(tls).withToken(token))) {
      for (JsonNode service : api.listAll("services", ListOptions.ALL)) {
        for (JsonNode task : service.path("spec").path("tasks")) {
          for (JsonNode port : task.path("ports")) {
            int number = port.path("hostPort").asInt(0) > 0 ? port.path("hostPort").asInt() : port.path("port").asInt();
            if (number > 0 && !"udp".equals(port.path("protocol").asText())) {
              out.append("Reach ").append(service.path("metadata").path("name").asText()).append(": http://127.0.0.1:")
                  .append(number).append('/').append('\n');
            }
          }
        }
      }
    }
    return out.isEmpty() ? "" : "\n" + out;
  }

  private void applyStack(String address, String token, StackSource source, PrintStream out) {
    try (WharfClient api = new WharfClient(ClientSettings.of(address).withSslContext(clientTls).withToken(token))) {
      Plan plan = api.plan(source.text(), source.contentType());
      out.print(PlanView.forTerminal(root.environment().terminal()).render(plan));
      if (plan.hasChanges()) {
        Plan applied = api.apply(source.text(), source.contentType(),
            OptionalLong.of(plan.revision()));
        out.println(PlanView.applied(applied));
      }
      out.flush();
    }
  }

}
