package io.wharf.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.cli.output.Table;
import io.wharf.client.WharfClient;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf server members}: the control-plane servers sharing the store, which one leads, and
 * how long ago each wrote its last heartbeat ({@code GET /v1/servers}).
 */
@Command(name = "members", description = {"List the control-plane servers of the cluster and which one leads.",
    "A server that stops heartbeating drops out after the leader TTL; one shut down cleanly leaves at once."})
public final class MembersCommand implements Callable<Integer> {
  private final Main root;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml.")
  OutputFormat output = OutputFormat.TABLE;

  public MembersCommand(Main root) {
    this.root = root;
  }

  /** The table of {@code wharf server members} at {@code now}. Pure. */
  public static Table table(JsonNode answer, Instant now) {
    Table table = new Table("NAME", "ADDRESS", "LEADER", "VERSION", "STARTED", "LAST HEARTBEAT");
    for (JsonNode s : answer.path("servers")) {
      table.add(s.path("id").asText(), s.path("addresses").path(0).asText("-"),
          s.path("leader").asBoolean() ? "yes" : "no", s.path("version").asText("-"),
          Age.since(s.path("startedAt").asText(null), now) + " ago",
          Age.since(s.path("lastHeartbeat").asText(null), now) + " ago");
    }
    return table;
  }

  @Override
  public Integer call() {
    try (WharfClient api = root.client()) {
      JsonNode answer = api.members();
      if (output != OutputFormat.TABLE) {
        root.environment().out().print(new Documents().render(answer, output));
        return ExitCode.OK.code();
      }
      root.environment().out().print(table(answer, root.environment().clock().instant()).render());
      if (answer.path("leader").isNull() || answer.path("leader").isMissingNode()) {
        root.environment().err().println("No server leads right now (an election is under way).");
      }
      return ExitCode.OK.code();
    }
  }
}
