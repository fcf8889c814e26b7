package io.wharf.cli.serve;

import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
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
    footer = {"", "Example:", "  wharf agent --server http://10.0.0.5:7070 --address 10.0.0.7 --label zone=a"})
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

  public AgentCommand(Main root) {
    this.root = root;
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
    NodeAgent agent;
    try {
      agent = NodeAgent.start(settings);
    } catch (RuntimeException e) {
      throw new CliException(ExitCode.ERROR, "cannot start the agent: " + RunningControlPlane.rootMessage(e));
    }
    var closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      closed.countDown();
    }, "wharf-agent-shutdown"));
    PrintStream out = root.environment().out();
    out.println("Wharf agent of node " + settings.nodeName() + " is running.");
    out.println("Server: " + serverAddress);
    out.println("Endpoint: " + agent.endpoint());
    out.println("Drivers: " + String.join(", ", agent.drivers()));
    out.println("Data: " + dir);
    out.flush();
    closed.await();
    return ExitCode.OK.code();
  }
}
