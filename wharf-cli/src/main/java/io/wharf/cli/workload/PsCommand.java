package io.wharf.cli.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Table;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf ps [-n NS|-A] [SERVICE]}: the instances and where and how they run. */
@Command(name = "ps", description = "List instances: node, state, health, restarts, age, and why one waits or ended.")
public final class PsCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "Only this service's (or job's) instances.")
  String service;

  @Mixin
  NamespaceOptions namespaces;

  public PsCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    String namespace = namespaces.resolve(false);
    try (WharfClient api = root.client()) {
      List<JsonNode> instances = InstanceLookup.list(api, namespace, service);
      if (instances.isEmpty()) {
        root.environment().err().println("No instances found"
            + (service != null ? " of " + service : "") + (namespace != null ? " in namespace " + namespace : "") + ".");
        return ExitCode.OK.code();
      }
      PrintStream out = root.environment().out();
      out.print(table(instances, namespace == null, root.environment().clock().instant()).render());
      return ExitCode.OK.code();
    }
  }

  /**
   * The table; with a NAMESPACE column first when it lists several namespaces. REASON is what a
   * waiting instance waits for, or why a failed or rejected one ended ({@code -} otherwise).
   */
  public static Table table(List<JsonNode> instances, boolean withNamespace, Instant now) {
    List<String> headers = new ArrayList<>(List.of("NAME", "SERVICE", "NODE", "STATE", "HEALTH", "RESTARTS", "AGE", "REASON"));
    if (withNamespace) {
      headers.addFirst("NAMESPACE");
    }
    Table table = new Table(headers);
    for (JsonNode i : instances) {
      JsonNode status = i.path("status");
      List<String> row = new ArrayList<>(List.of(InstanceLookup.name(i), InstanceLookup.ownerName(i),
          i.path("spec").path("node").asText("-"), status.path("state").asText("pending"),
          status.path("health").asText("unknown"), Integer.toString(status.path("restarts").asInt()),
          Age.since(i.path("metadata").path("createdAt").asText(null), now), reason(status)));
      if (withNamespace) {
        row.addFirst(i.path("metadata").path("namespace").asText());
      }
      table.add(row);
    }
    return table;
  }

  private static String reason(JsonNode status) {
    String state = status.path("state").asText("pending");
    String why = switch (state) {
      case "waiting" -> status.path("waitingReason").asText("");
      case "failed", "rejected" -> status.path("exitReason").asText("");
      default -> "";
    };
    return why.isEmpty() ? "-" : why;
  }
}
