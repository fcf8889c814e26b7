package io.wharf.cli.delete;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.read.KindArgument;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.cli.stack.PlanView;
import io.wharf.cli.stack.StackInput;
import io.wharf.cli.stack.StackSource;
import io.wharf.client.ApiException;
import io.wharf.client.WharfClient;
import io.wharf.client.stack.StackDeletion;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.stack.StackDocument;
import io.wharf.model.stack.StackFile;
import io.wharf.model.validation.Problem;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf delete KIND NAME} deletes one object ({@code --revision} makes it conditional);
 * {@code wharf delete -f FILE} deletes every resource the stack file declares and the stack itself
 * ({@code POST /v1/delete}, one transaction), skipping those already gone; services that depend on
 * each other stop in reverse dependency order (the server's controllers delete them once stopped).
 */
@Command(name = "delete", description = "Delete an object, or every resource of a stack file.",
    footer = {"", "Examples:", "  wharf delete service web -n shop",
        "  wharf delete -f examples/demo.yaml --wait"})
public final class DeleteCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(arity = "0..2", paramLabel = "KIND NAME", description = "What to delete.")
  List<String> target = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "Delete the resources of this stack file (- reads stdin).")
  String file;

  @Option(names = "--wait",
      description = "With -f: wait until the services that stop in dependency order are gone.")
  boolean await;

  @Option(names = "--revision", paramLabel = "N",
      description = "Delete only if the object is still at this revision.")
  long revision;

  @Mixin
  NamespaceOptions namespaces;

  public DeleteCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (file != null && !target.isEmpty()) {
      throw CliException.usage("give either KIND NAME or -f FILE, not both");
    }
    if (await && file == null) {
      throw CliException.usage("--wait goes with -f FILE");
    }
    if (file != null) {
      return deleteStack();
    }
    if (target.size() != 2) {
      throw CliException.usage("delete needs KIND and NAME (or -f FILE)");
    }
    Kind kind = KindArgument.parse(target.get(0));
    if (kind == Kind.EVENT) {
      throw CliException.usage("events are read-only");
    }
    String namespace = kind.namespaced() ? namespaces.single() : null;
    try (WharfClient api = root.client()) {
      api.delete(kind.plural(), namespace, target.get(1), revision);
    }
    root.environment().out().println(kind.displayName() + " "
        + (namespace == null ? "" : namespace + "/") + target.get(1) + " deleted.");
    return ExitCode.OK.code();
  }

  /** How long {@code --wait} waits for the stopping services to be gone. */
  static final Duration WAIT_LIMIT = Duration.ofMinutes(10);

  /** Polls until every target is gone (404), saying so for each; an error after {@link #WAIT_LIMIT}. */
  private static void awaitGone(WharfClient api, List<StackDeletion.Target> targets, PrintStream out) {
    List<StackDeletion.Target> left = new ArrayList<>(targets);
    long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
    while (!left.isEmpty()) {
      for (var it = left.iterator(); it.hasNext(); ) {
        StackDeletion.Target t = it.next();
        try {
          api.get("services", t.namespace(), t.name());
        } catch (ApiException e) {
          if (!e.isNotFound()) {
            throw e;
          }
          out.println(t + " stopped and deleted.");
          it.remove();
        }
      }
      if (left.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(ExitCode.ERROR, "still stopping after " + WAIT_LIMIT.toMinutes() + "m: "
            + String.join(", ", left.stream().map(StackDeletion.Target::toString).toList()));
      }
      try {
        Thread.sleep(250); // a poll interval
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.ERROR, "interrupted while waiting");
      }
    }
  }

  private int deleteStack() {
    StackSource source = StackInput.readAsWritten(file, root.environment());
    Decoded<StackDocument> decoded = StackFile.parse(source.text(), source.origin());
    if (!decoded.ok()) {
      List<Problem> problems = decoded.problems();
      throw new CliException(ExitCode.INVALID, source.origin() + " has " + problems.size()
          + (problems.size() == 1 ? " problem" : " problems"),
          problems.stream().map(p -> p.path().isEmpty() ? p.reason() : p.path() + ": " + p.reason())
              .toList());
    }
    StackDocument stack = decoded.value();
    PrintStream out = root.environment().out();
    try (WharfClient api = root.client()) {
      StackDeletion result = api.deleteStack(source.text(), source.contentType());
      result.deleted().forEach(t -> out.println(t + " deleted."));
      result.stopping().forEach(t -> out.println(t + " stopping (after its dependents)."));
      result.notFound().forEach(t -> out.println(t + " not found (already deleted)."));
      String summary = "Deleted " + result.deleted().size() + " of " + (stack.resources().size() + 1)
          + " resources of stack " + stack.name();
      if (result.stopping().isEmpty()) {
        out.println(summary + ".");
        return ExitCode.OK.code();
      }
      int n = result.stopping().size();
      out.println(summary + "; " + n + (n == 1 ? " service stops" : " services stop")
          + " in reverse dependency order, then " + (n == 1 ? "goes" : "go") + ".");
      out.println(PlanView.order("Stop order", result.deleteOrder()));
      if (await) {
        awaitGone(api, result.stopping(), out);
      }
    }
    return ExitCode.OK.code();
  }
}
