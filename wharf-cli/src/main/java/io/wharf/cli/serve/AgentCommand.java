package io.wharf.cli.serve;

import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.agent.tls.CertificateRenewal;
import io.wharf.agent.tls.NodeIdentity;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf agent --server ADDR}: runs this machine's node agent until stopped. Stopping it
 * (SIGINT, SIGTERM, or even SIGKILL) leaves the workloads running; the next agent with the same
 * data directory adopts them.
 */
@Command(name = "agent", description = "Run the node agent: register this machine and run the instances placed on it.",
    footer = {"", "Examples:",
        "  wharf agent --server https://10.0.0.5:7070 --join-token 3f9c01ab.8e... --ca-cert-hash sha256:5d1e...",
        "  wharf agent --server https://10.0.0.5:7070 --address 10.0.0.7 --label zone=a   (after joining once)",
        "", "On an https:// cluster the agent joins once with a join token: it makes its key here, gets a node",
        "certificate (CN = node name, 30 days) and from then on talks mutual TLS, renewing it at day 20."})
public final class AgentCommand implements Callable<Integer> {

  public static final String DEFAULT_DATA_DIR = ".wharf-agent";

  private final Main root;

  @Option(names = "--server", paramLabel = "ADDR[,ADDR...]",
      description = "The servers' API addresses, comma-separated; the agent fails over between them "
          + "(default: --addr, $WHARF_ADDR, else the local one).")
  String server;

  @Option(names = "--heartbeat", paramLabel = "MILLIS",
      description = "Heartbeat interval in milliseconds (default: 5000); keep it well under the servers' --node-ttl.")
  Long heartbeatMillis;

  @Option(names = "--name", paramLabel = "N", description = "Node name (default: the host name).")
  String name;

  @Option(names = "--address", paramLabel = "IP", description = "Address instances are reached at (default: 127.0.0.1).")
  String address;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Logs and task state (default: ./" + DEFAULT_DATA_DIR + ").")
  Path dataDir;

  @Option(names = "--port", paramLabel = "P", description = "Port of the agent's own endpoint (default: 7071; 0 picks a free one).")
  int port = 7071;

  @Option(names = "--bind", paramLabel = "HOST", description = "Address the agent's endpoint listens on (default: the node address).")
  String bind;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "Docker Engine to use when it answers (default: unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(names = "--label", paramLabel = "K=V", description = "A node label (repeat).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--join-token", paramLabel = "TOKEN",
      description = "Join an https:// cluster with this token (from 'wharf node join-token create'); needed once, "
          + "until the node certificate is in DIR/tls/. Trust the server with --ca-cert FILE or --ca-cert-hash.")
  String joinToken;

  @Option(names = "--ca-cert-hash", paramLabel = "sha256:HEX",
      description = "Instead of --ca-cert: the cluster CA's fingerprint, as printed with the join token.")
  String caCertHash;

  public AgentCommand(Main root) {
    this.root = root;
  }

  /**
   * The node's TLS identity for https:// servers: the one an earlier join stored in DIR/tls/, else
   * a join now with --join-token; null for http:// servers (no TLS, nothing to join).
   */
  private NodeIdentity identity(io.wharf.client.ClientSettings servers, String nodeName, Path dir) {
    boolean https = servers.addresses().stream().anyMatch(a -> a.getScheme().equals("https"));
    if (!https) {
      if (joinToken != null || caCertHash != null) {
        throw CliException.usage("--join-token and --ca-cert-hash are for https:// servers; --server is plain http://");
      }
      return null;
    }
    if (servers.addresses().stream().anyMatch(a -> !a.getScheme().equals("https"))) {
      throw CliException.usage("--server mixes http:// and https:// addresses");
    }
    try {
      if (NodeIdentity.present(dir)) {
        if (joinToken != null) {
          root.environment().err().println("note: this agent joined before (" + NodeIdentity.directory(dir)
              + "); --join-token is not used");
        }
        return NodeIdentity.load(dir, nodeName);
      }
      if (joinToken == null) {
        throw CliException.usage("this agent has no node certificate in " + NodeIdentity.directory(dir)
            + ": join the cluster with --join-token TOKEN (from 'wharf node join-token create') and --ca-cert FILE "
            + "or --ca-cert-hash sha256:HEX");
      }
      Path caFile = root.caCertificate() == null ? null : root.environment().workingDirectory().resolve(root.caCertificate());
      if (caFile == null && caCertHash == null) {
        String variable = root.environment().variable(io.wharf.cli.ServerTrust.CA_VARIABLE);
        if (variable != null && !variable.isBlank()) {
          caFile = root.environment().workingDirectory().resolve(variable.strip());
        }
      }
      if (caFile != null && caCertHash != null) {
        throw CliException.usage("give the cluster CA either as --ca-cert or as --ca-cert-hash, not both");
      }
      if (caFile == null && caCertHash == null) {
        throw CliException.usage("joining needs the cluster CA: --ca-cert FILE or --ca-cert-hash sha256:HEX");
      }
      NodeIdentity joined = NodeIdentity.join(servers, joinToken, caFile, caCertHash, nodeName, dir);
      root.environment().out().println("Joined the cluster as node " + nodeName + ".");
      return joined;
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (io.wharf.client.ClientException | IllegalStateException e) {
      throw new CliException(ExitCode.ERROR, "cannot join the cluster: " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    io.wharf.client.ClientSettings servers;
    try {
      servers = server != null ? root.withToken(io.wharf.client.ClientSettings.of(server)) : root.clientSettings();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + " (from --server)");
    }
    if (heartbeatMillis != null && heartbeatMillis < 100) {
      throw CliException.usage("--heartbeat must be at least 100 ms, got " + heartbeatMillis);
    }
    // Several servers travel as one comma-separated URI text; the agent's client splits it again.
    URI serverAddress = URI.create(String.join(",", servers.addresses().stream().map(URI::toString).toList()));
    Path dir = root.environment().workingDirectory()
        .resolve(dataDir != null ? dataDir : Path.of(DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
    AgentSettings settings;
    try {
      settings = new AgentSettings(serverAddress, name != null ? name : AgentSettings.defaultNodeName(), address, dir,
          bind != null ? bind : address, port, labels,
          heartbeatMillis == null ? null : java.time.Duration.ofMillis(heartbeatMillis), dockerHost, false)
          .withToken(servers.token());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    NodeIdentity identity = identity(servers, settings.nodeName(), dir);
    NodeAgent agent;
    try {
      agent = NodeAgent.start(settings, null, identity == null ? null : identity.sslContext());
    } catch (RuntimeException e) {
      throw new CliException(ExitCode.ERROR, "cannot start the agent: " + RunningControlPlane.rootMessage(e));
    }
    WharfClient renewalClient = identity == null ? null : new WharfClient(servers.withSslContext(identity.sslContext()));
    CertificateRenewal renewal = identity == null ? null
        : new CertificateRenewal(identity, renewalClient, java.time.InstantSource.system());
    var closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (renewal != null) {
        renewal.close();
        renewalClient.close();
      }
      agent.close();
      closed.countDown();
    }, "wharf-agent-shutdown"));
    PrintStream out = root.environment().out();
    out.println("Wharf agent of node " + settings.nodeName() + " is running.");
    out.println("Server: " + serverAddress);
    out.println("Endpoint: " + agent.endpoint());
    out.println("Drivers: " + String.join(", ", agent.drivers()));
    out.println("Data: " + dir);
    if (identity != null) {
      out.println("Identity: node certificate " + NodeIdentity.directory(dir).resolve("node.crt") + " (mutual TLS, valid until "
          + identity.notAfter() + ", renewed from " + CertificateRenewal.due(identity) + ")");
    }
    out.flush();
    closed.await();
    return ExitCode.OK.code();
  }
}
