package io.wharf.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Table;
import io.wharf.client.NodeActions;
import io.wharf.client.WharfClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf node ls|drain|eligible}: the cluster's nodes and what operators do with them. */
@Command(name = "node", description = "List nodes, drain them, mark them eligible or not.",
    synopsisSubcommandLabel = "COMMAND")
public final class NodeCommand implements Callable<Integer> {
  private final Main root;

  public NodeCommand(Main root) {
    this.root = root;
  }

  /** The {@code node} command with its subcommands, for {@link Main} to register. */
  public static picocli.CommandLine command(Main root) {
    picocli.CommandLine node = new picocli.CommandLine(new NodeCommand(root));
    node.addSubcommand(new Ls(root));
    node.addSubcommand(new Drain(root));
    node.addSubcommand(new Eligible(root));
    node.addSubcommand("join-token", JoinTokenCommand.command(root));
    return node;
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "missing command: ls, drain, eligible or join-token");
  }

  /** The table of {@code wharf node ls}. Pure. */
  public static Table table(List<JsonNode> nodes) {
    Table table = new Table("NAME", "ADDRESS", "STATE", "DRAIN", "ELIGIBLE", "CPU", "MEMORY", "INSTANCES");
    for (JsonNode n : nodes) {
      table.add(n.path("name").asText(), n.path("address").asText("-"), n.path("state").asText("-"),
          n.path("drain").asBoolean() ? "yes" : "no", n.path("eligible").asBoolean(true) ? "yes" : "no",
          n.path("cpuUsed").asText() + "/" + n.path("cpuAllocatable").asText(),
          readableBytes(n.path("memoryUsed").asText()) + "/" + readableBytes(n.path("memoryAllocatable").asText()),
          Integer.toString(n.path("instances").asInt()));
    }
    return table;
  }

  /** A size for people: exact forms stay ({@code 256Mi}), odd byte counts round to one decimal ({@code 23.3Gi}). */
  static String readableBytes(String quantity) {
    var parsed = io.wharf.model.quantity.ByteSize.parse(quantity);
    if (parsed.isEmpty()) return quantity;
    String exact = parsed.get().toString();
    if (exact.length() <= 6) return exact;
    double v = parsed.get().bytes();
    String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
  }

  @Command(name = "ls", description = "List nodes: address, state, drain, eligibility, cpu and memory used/allocatable, instances.")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        List<JsonNode> nodes = new NodeActions(api).usage();
        if (nodes.isEmpty()) {
          root.environment().err().println("No nodes registered.");
          return ExitCode.OK.code();
        }
        root.environment().out().print(table(nodes).render());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "drain", description = {"Move a node's instances to other nodes and place nothing new there.",
      "Each service moves update.parallelism instances at a time: replacements start elsewhere,",
      "and the old instances stop once their replacements are ready."})
  static final class Drain implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Option(names = "--undo", description = "Stop draining: the node takes new instances again.")
    boolean undo;

    Drain(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        new NodeActions(api).drain(node, !undo);
        root.environment().out().println(undo ? "Node " + node + " takes new instances again."
            : "Node " + node + " is draining: its instances move to other nodes.");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "eligible", description = {"Whether the scheduler may place new instances on a node.",
      "An ineligible node keeps the instances it runs."})
  static final class Eligible implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    @Parameters(index = "1", paramLabel = "true|false")
    String value;

    Eligible(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      boolean eligible = switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw io.wharf.cli.CliException.usage("eligible takes true or false, not \"" + value + "\"");
      };
      try (WharfClient api = root.client()) {
        new NodeActions(api).eligible(node, eligible);
        root.environment().out().println(eligible ? "Node " + node + " is eligible for new instances."
            : "Node " + node + " takes no new instances; the ones it runs stay.");
        return ExitCode.OK.code();
      }
    }
  }
}
