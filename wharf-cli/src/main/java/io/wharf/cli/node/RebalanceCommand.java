package io.wharf.cli.node;

import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.NodeActions;
import io.wharf.client.WharfClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf rebalance SERVICE}: move instances onto emptier nodes to restore the spread. */
@Command(name = "rebalance", description = {"Move a service's instances from the fullest to the emptiest eligible nodes",
    "(e.g. after nodes joined), update.parallelism at a time; see its Rebalance condition."})
public final class RebalanceCommand implements Callable<Integer> {
  private final Main root;

  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Mixin
  NamespaceOptions namespaces;

  public RebalanceCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    String namespace = namespaces.single();
    try (WharfClient api = root.client()) {
      new NodeActions(api).rebalance(namespace, service);
      root.environment().out().println("Rebalancing " + namespace + "/" + service
          + ": instances move, update.parallelism at a time.");
      return ExitCode.OK.code();
    }
  }
}
