package io.wharf.cli.workload;

import io.wharf.cli.Main;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.AgentApi;
import io.wharf.client.ExecOutcome;
import io.wharf.client.WharfClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf exec INSTANCE [--task T] -- CMD...}: runs a command in a task; its exit code is ours. */
@Command(name = "exec", description = "Run a command in a running task of an instance; exits with its exit code.",
    footer = {"", "Example:", "  wharf exec web-7f3a2 -- sh -c 'env | sort'"})
public final class ExecCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(index = "0", paramLabel = "INSTANCE", description = "The instance.")
  String instance;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
  List<String> command;

  @Option(names = "--task", paramLabel = "T", description = "This task (default: the main task).")
  String task;

  @Mixin
  NamespaceOptions namespaces;

  public ExecCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    try (WharfClient api = root.client()) {
      ExecOutcome outcome = new AgentApi(api).exec(namespaces.single(), instance, task, command);
      root.environment().out().print(outcome.output());
      root.environment().out().flush();
      return outcome.exitCode();
    }
  }
}
