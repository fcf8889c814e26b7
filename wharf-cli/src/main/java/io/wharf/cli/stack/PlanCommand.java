package io.wharf.cli.stack;

import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.client.WharfClient;
import io.wharf.client.stack.Plan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf plan -f FILE}: what applying would change; changes nothing. */
@Command(name = "plan", description = "Show what applying a stack file would change.")
public final class PlanCommand implements Callable<Integer> {

  private final Main root;

  @Mixin
  StackFileOptions stackFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default: the readable plan), json or yaml (the API's plan).")
  OutputFormat output = OutputFormat.TABLE;

  public PlanCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    StackSource source = StackInput.read(stackFile.file(), root.environment());
    try (WharfClient api = root.client()) {
      if (output != OutputFormat.TABLE) {
        // The raw plan as the API returned it, for scripts.
        root.environment().out().print(new Documents().render(
            api.planJson(source.text(), source.contentType()), output));
        return ExitCode.OK.code();
      }
      Plan plan = api.plan(source.text(), source.contentType());
      root.environment().out().print(PlanView.forTerminal(root.environment().terminal()).render(plan));
      return ExitCode.OK.code();
    }
  }
}
