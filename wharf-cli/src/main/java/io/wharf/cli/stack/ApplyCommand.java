package io.wharf.cli.stack;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Terminal;
import io.wharf.client.ApiException;
import io.wharf.client.ApiProblem;
import io.wharf.client.RolloutApi;
import io.wharf.client.WharfClient;
import io.wharf.cli.rollout.RolloutWait;
import io.wharf.client.stack.ChangeAction;
import io.wharf.client.stack.Plan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wharf apply -f FILE}: shows the plan, asks for confirmation (unless {@code --yes}),
 * then applies exactly that plan: the apply names the plan's revision, so a change made by
 * someone else in between fails with a conflict (exit 4) instead of being overwritten. With
 * {@code --wait} it then follows the rollouts of the changed services ({@link RolloutWait}).
 */
@Command(name = "apply", description = "Plan a stack file, confirm, and apply it.")
public final class ApplyCommand implements Callable<Integer> {

  private final Main root;

  @Mixin
  StackFileOptions stackFile;

  @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
  boolean yes;

  @Option(names = "--wait", description = {"Wait until the rollouts of the changed services settle, showing",
      "progress; exit 6 when one failed or was rolled back, 7 on timeout."})
  boolean await;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  String timeout;

  public ApplyCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    java.time.Duration waitFor = io.wharf.model.quantity.Durations.parse(timeout)
        .filter(d -> d.isPositive())
        .orElseThrow(() -> CliException.usage("--timeout: not a positive duration like 90s or 10m: \"" + timeout + "\""));
    StackSource source = StackInput.read(stackFile.file(), root.environment());
    PrintStream out = root.environment().out();
    Terminal terminal = root.environment().terminal();
    try (WharfClient api = root.client()) {
      Plan plan = api.plan(source.text(), source.contentType());
      out.print(PlanView.forTerminal(terminal).render(plan));
      if (!plan.hasChanges()) {
        return ExitCode.OK.code();
      }
      if (!yes && !confirmed(terminal, out)) {
        out.println("Apply cancelled; nothing was changed.");
        return ExitCode.ABORTED.code();
      }
      Plan applied = applyPinned(api, source, plan, out);
      if (!await) {
        return ExitCode.OK.code();
      }
      List<RolloutWait.Target> services = new java.util.ArrayList<>(applied.changes().stream()
          .filter(c -> c.kind().equals("Service") && c.action() != ChangeAction.DELETE)
          .map(c -> new RolloutWait.Target(c.namespace().isEmpty() ? applied.namespace() : c.namespace(), c.name()))
          .toList());
      // Services rolled out because configs or secrets they take changed: wait for their new rollout.
      for (Plan.InputRollout r : applied.rollouts()) {
        services.removeIf(t -> t.namespace().equals(r.namespace()) && t.name().equals(r.name()));
        services.add(new RolloutWait.Target(r.namespace(), r.name(), true));
      }
      if (services.isEmpty()) {
        return ExitCode.OK.code();
      }
      try {
        return RolloutWait.await(new RolloutApi(api), services, applied.revision(), waitFor, out, terminal);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.ERROR.code();
      }
    }
  }

  /** Applies {@code source} expecting the state {@code plan} was made from. */
  static Plan applyPinned(WharfClient api, StackSource source, Plan plan, PrintStream out) {
    Plan applied;
    try {
      applied = api.apply(source.text(), source.contentType(), OptionalLong.of(plan.revision()));
    } catch (ApiException e) {
      if (e.status() == 409) {
        List<String> details = new ArrayList<>(e.problems().stream().map(ApiProblem::toString)
            .toList());
        details.add("the stack's resources changed since this plan (revision " + plan.revision()
            + "); nothing was applied. Run the command again to review the new plan.");
        throw new CliException(ExitCode.CONFLICT, e.serverMessage(), details);
      }
      throw e;
    }
    out.println(PlanView.applied(applied));
    return applied;
  }

  /** Asks on the terminal; refuses (usage error) when there is nobody to ask. */
  static boolean confirmed(Terminal terminal, PrintStream out) {
    if (!terminal.interactive()) {
      throw CliException.usage(
          "refusing to apply without confirmation: no terminal to ask on; pass --yes to apply");
    }
    out.flush();
    String answer = terminal.prompter().ask("Apply these changes? [y/N] ").orElse("");
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
