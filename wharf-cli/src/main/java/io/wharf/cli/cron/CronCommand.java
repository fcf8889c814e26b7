package io.wharf.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Table;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.CronApi;
import io.wharf.client.WharfClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf cron ls|trigger|suspend|resume}: cron jobs, their slots, and what operators do with them. */
@Command(name = "cron", description = "List cron jobs, start a run now, suspend and resume them.",
    synopsisSubcommandLabel = "COMMAND")
public final class CronCommand implements Callable<Integer> {
  /** The {@code cron} command with its subcommands, for {@link Main} to register. */
  public static picocli.CommandLine command(Main root) {
    picocli.CommandLine cron = new picocli.CommandLine(new CronCommand());
    cron.addSubcommand(new Ls(root));
    cron.addSubcommand(new Trigger(root));
    cron.addSubcommand(new Suspend(root));
    cron.addSubcommand(new Resume(root));
    return cron;
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // The spec's command line (not a new one) carries the CLI's error stream and handler.
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing command: ls, trigger, suspend or resume");
  }

  /** The table of {@code wharf cron ls} at {@code now}. Pure. */
  public static Table table(List<JsonNode> cronJobs, boolean withNamespace, Instant now) {
    Table table = withNamespace
        ? new Table("NAMESPACE", "NAME", "SCHEDULE", "TIMEZONE", "LAST", "NEXT", "ACTIVE", "SUSPENDED")
        : new Table("NAME", "SCHEDULE", "TIMEZONE", "LAST", "NEXT", "ACTIVE", "SUSPENDED");
    for (JsonNode c : cronJobs) {
      JsonNode spec = c.path("spec");
      JsonNode status = c.path("status");
      boolean suspended = spec.path("suspend").asBoolean(false);
      String last = status.hasNonNull("lastScheduledAt") ? Age.since(status.path("lastScheduledAt").asText(), now) + " ago"
          : "never";
      String next = suspended || !status.hasNonNull("nextScheduleAt") ? "-" : in(status.path("nextScheduleAt").asText(), now);
      List<String> row = new java.util.ArrayList<>();
      if (withNamespace) {
        row.add(c.path("metadata").path("namespace").asText());
      }
      row.addAll(List.of(c.path("metadata").path("name").asText(), spec.path("schedule").asText(),
          spec.path("timeZone").asText("UTC"), last, next, Integer.toString(status.path("activeJobs").size()),
          suspended ? "yes" : "no"));
      table.add(row.toArray(String[]::new));
    }
    return table;
  }

  private static String in(String timestamp, Instant now) {
    try {
      Duration d = Duration.between(now, Instant.parse(timestamp));
      return d.isNegative() ? "due" : "in " + Age.of(d);
    } catch (DateTimeParseException e) {
      return "-";
    }
  }

  @Command(name = "ls", description = "List cron jobs: schedule, time zone, last and next slot, active runs, suspended.")
  static final class Ls implements Callable<Integer> {
    private final Main root;

    @Mixin
    NamespaceOptions namespaces;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.resolve(false);
      try (WharfClient api = root.client()) {
        List<JsonNode> crons = new CronApi(api).list(namespace);
        if (crons.isEmpty()) {
          root.environment().err().println(namespace == null ? "No cron jobs." : "No cron jobs in namespace " + namespace + ".");
          return ExitCode.OK.code();
        }
        root.environment().out().print(table(crons, namespace == null, root.environment().clock().instant()).render());
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "trigger", description = {"Start a run of a cron job now, outside its schedule.",
      "The run is a Job named CRON-m<epoch ms>; the schedule is not affected."})
  static final class Trigger implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    NamespaceOptions namespaces;

    Trigger(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        JsonNode job = new CronApi(api).trigger(namespace, name);
        root.environment().out().println("Started job " + job.path("metadata").path("name").asText() + " of cron job "
            + namespace + "/" + name + " (run id "
            + job.path("spec").path("tasks").path(0).path("env").path("WHARF_RUN_ID").asText("-") + ").");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "suspend", description = {"Stop a cron job's slots from firing (running jobs go on).",
      "Exit code 4 when it is already suspended."})
  static final class Suspend implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    NamespaceOptions namespaces;

    Suspend(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        new CronApi(api).suspend(namespace, name);
        root.environment().out().println("Cron job " + namespace + "/" + name + " is suspended: no new slots fire.");
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "resume", description = {"Let a suspended cron job's slots fire again; the latest slot missed",
      "while suspended runs if within the starting deadline."})
  static final class Resume implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    NamespaceOptions namespaces;

    Resume(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        new CronApi(api).resume(namespace, name);
        root.environment().out().println("Cron job " + namespace + "/" + name + " is resumed: slots fire again.");
        return ExitCode.OK.code();
      }
    }
  }
}
