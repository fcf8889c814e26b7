package io.wharf.cli.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.RolloutApi;
import io.wharf.client.WharfClient;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf rollout status|history|promote|undo|restart SERVICE}: a service's rolling updates. */
@Command(name = "rollout", description = "Show, promote, undo or restart a service's rollout.",
    synopsisSubcommandLabel = "COMMAND")
public final class RolloutCommand implements Callable<Integer> {
  private final Main root;

  public RolloutCommand(Main root) {
    this.root = root;
  }

  /** The {@code rollout} command with its subcommands, for {@link Main} to register. */
  public static picocli.CommandLine command(Main root) {
    picocli.CommandLine rollout = new picocli.CommandLine(new RolloutCommand(root));
    rollout.addSubcommand(new Status(root));
    rollout.addSubcommand(new History(root));
    rollout.addSubcommand(new Promote(root));
    rollout.addSubcommand(new Undo(root));
    rollout.addSubcommand(new Restart(root));
    return rollout;
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "missing command: status, history, promote, undo or restart");
  }

  /** What every subcommand takes: the service and its namespace. */
  abstract static class OnService implements Callable<Integer> {
    final Main root;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Mixin
    NamespaceOptions namespaces;

    OnService(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        root.environment().out().print(run(new RolloutApi(api), namespaces.single()));
        return ExitCode.OK.code();
      }
    }

    abstract String run(RolloutApi api, String namespace);
  }

  @Command(name = "status", description = "The rollout of the service's current template: phase, progress, why.")
  static final class Status extends OnService {
    Status(Main root) {
      super(root);
    }

    @Override
    String run(RolloutApi api, String namespace) {
      return RolloutView.status(api.status(namespace, service));
    }
  }

  @Command(name = "history", description = "The service's last rollouts: revision, template, phase, when, why.")
  static final class History extends OnService {
    History(Main root) {
      super(root);
    }

    @Override
    String run(RolloutApi api, String namespace) {
      return RolloutView.history(api.status(namespace, service)).render();
    }
  }

  @Command(name = "promote", description = "Promote the canaries: the rollout goes on to every instance.")
  static final class Promote extends OnService {
    Promote(Main root) {
      super(root);
    }

    @Override
    String run(RolloutApi api, String namespace) {
      JsonNode view = api.promote(namespace, service);
      return "Promoted " + namespace + "/" + service + ".\n" + RolloutView.line(view) + "\n";
    }
  }

  @Command(name = "undo", description = {"Write an earlier template back into the service's spec (a new rollout):",
      "the one of --to REVISION (see history), or the previous one."})
  static final class Undo extends OnService {
    @Option(names = "--to", paramLabel = "REVISION", description = "Go back to this revision of the history.")
    Long to;

    Undo(Main root) {
      super(root);
    }

    @Override
    String run(RolloutApi api, String namespace) {
      JsonNode view = api.undo(namespace, service, to == null ? OptionalLong.empty() : OptionalLong.of(to));
      return "Rolling " + namespace + "/" + service + " back to template " + view.path("template").asText() + ".\n";
    }
  }

  @Command(name = "restart", description = "Replace every instance of the service through a rollout.")
  static final class Restart extends OnService {
    Restart(Main root) {
      super(root);
    }

    @Override
    String run(RolloutApi api, String namespace) {
      JsonNode view = api.restart(namespace, service);
      return "Restarting " + namespace + "/" + service + ": every instance is replaced (template "
          + view.path("template").asText() + ").\n";
    }
  }
}
