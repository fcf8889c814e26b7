package io.wharf.cli.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Age;
import io.wharf.cli.output.Table;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.AgentApi;
import io.wharf.client.ApiException;
import io.wharf.client.JobApi;
import io.wharf.client.LogQuery;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf job run|status|logs}: run a batch job again, see how its run went, read its output. */
@Command(name = "job", description = "Run a job again, show its run's status and attempts, print its logs.",
    synopsisSubcommandLabel = "COMMAND")
public final class JobCommand implements Callable<Integer> {
  /** How often {@code run --wait} reads the job again. */
  static final long WAIT_POLL_MILLIS = 500;

  private final Main root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  public JobCommand(Main root) {
    this.root = root;
  }

  /** The {@code job} command with its subcommands, for {@link Main} to register. */
  public static picocli.CommandLine command(Main root) {
    picocli.CommandLine job = new picocli.CommandLine(new JobCommand(root));
    job.addSubcommand(new Run(root));
    job.addSubcommand(new Status(root));
    job.addSubcommand(new Logs(root));
    return job;
  }

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: run, status or logs");
  }

  /** The job, or a clear "no job" error. */
  static JsonNode job(WharfClient api, String namespace, String name) {
    try {
      return new JobApi(api).get(namespace, name);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        throw new CliException(ExitCode.ERROR, "no job named " + name + " in namespace " + namespace);
      }
      throw e;
    }
  }

  /** What {@code wharf job status} prints. Pure. */
  public static String describe(JsonNode job, Instant now) {
    JsonNode s = job.path("status");
    JsonNode spec = job.path("spec");
    StringBuilder out = new StringBuilder();
    out.append("Job:         ").append(job.path("metadata").path("namespace").asText()).append('/')
        .append(job.path("metadata").path("name").asText()).append('\n');
    out.append("Run:         ").append(s.path("run").asInt(0));
    if (s.path("requestedRun").asInt(0) > s.path("run").asInt(0)) {
      out.append(" (run ").append(s.path("requestedRun").asInt()).append(" requested)");
    }
    out.append('\n');
    out.append("Phase:       ").append(s.path("phase").asText("pending")).append('\n');
    out.append("Completions: ").append(s.path("succeeded").asInt(0)).append('/')
        .append(spec.path("completions").asInt(1)).append(" succeeded, ").append(s.path("failed").asInt(0))
        .append(" failed (backoffLimit ").append(spec.path("backoffLimit").asInt(0)).append("), ")
        .append(s.path("active").asInt(0)).append(" active (parallelism ").append(spec.path("parallelism").asInt(1))
        .append(")\n");
    if (s.hasNonNull("startedAt")) {
      out.append("Started:     ").append(s.path("startedAt").asText()).append(" (")
          .append(Age.since(s.path("startedAt").asText(), now)).append(" ago)\n");
    }
    if (s.hasNonNull("completedAt")) {
      out.append("Completed:   ").append(s.path("completedAt").asText()).append('\n');
    }
    for (JsonNode c : s.path("conditions")) {
      out.append("Condition:   ").append(c.path("type").asText()).append('=').append(c.path("status").asBoolean())
          .append(' ').append(c.path("reason").asText("")).append(": ").append(c.path("message").asText(""))
          .append('\n');
    }
    if (!s.path("attempts").isEmpty()) {
      Table table = new Table("INSTANCE", "NODE", "RESULT", "EXIT", "FINISHED", "REASON");
      for (JsonNode a : s.path("attempts")) {
        table.add(a.path("instance").asText(), a.path("node").asText("-"),
            a.path("succeeded").asBoolean() ? "succeeded" : "failed",
            a.hasNonNull("exitCode") ? a.path("exitCode").asText() : "-",
            a.hasNonNull("finishedAt") ? Age.since(a.path("finishedAt").asText(), now) + " ago" : "-",
            a.path("reason").asText("-"));
      }
      out.append("Attempts:\n").append(table.render());
    }
    return out.toString();
  }

  /** {@code wharf job run NAME [--restart] [--wait]}. */
  @Command(name = "run", description = {"Start a new run of a job.",
      "Refused while a run is active unless --restart (which stops it). With --wait, waits for the run to finish",
      "and exits 0 when it succeeded, 1 when it failed."})
  static final class Run implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "JOB")
    String name;

    @Option(names = "--restart", description = "Stop an active run and start a new one.")
    boolean restart;

    @Option(names = "--wait", description = "Wait until the new run succeeded or failed.")
    boolean wait;

    @Mixin
    NamespaceOptions namespaces;

    Run(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
      String namespace = namespaces.single();
      PrintStream out = root.environment().out();
      try (WharfClient api = root.client()) {
        int run;
        try {
          run = new JobApi(api).run(namespace, name, restart).path("run").asInt();
        } catch (ApiException e) {
          if (e.isNotFound()) {
            throw new CliException(ExitCode.ERROR, "no job named " + name + " in namespace " + namespace);
          }
          throw e;
        }
        out.println("Job " + namespace + "/" + name + ": run " + run + " requested.");
        out.flush();
        if (!wait) {
          return ExitCode.OK.code();
        }
        while (true) {
          JsonNode job = job(api, namespace, name);
          JsonNode s = job.path("status");
          String phase = s.path("phase").asText("pending");
          if (s.path("run").asInt() > run) {
            throw new CliException(ExitCode.CONFLICT, "run " + s.path("run").asInt() + " replaced run " + run);
          }
          if (s.path("run").asInt() == run && (phase.equals("succeeded") || phase.equals("failed"))) {
            out.print(describe(job, root.environment().clock().instant()));
            return phase.equals("succeeded") ? ExitCode.OK.code() : ExitCode.ERROR.code();
          }
          Thread.sleep(WAIT_POLL_MILLIS); // polling the server, not a test waiting
        }
      }
    }
  }

  /** {@code wharf job status NAME}. */
  @Command(name = "status", description = "Show a job's current run: phase, counts, conditions and every attempt with its exit code.")
  static final class Status implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "JOB")
    String name;

    @Mixin
    NamespaceOptions namespaces;

    Status(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        root.environment().out().print(describe(job(api, namespace, name), root.environment().clock().instant()));
        return ExitCode.OK.code();
      }
    }
  }

  /** {@code wharf job logs NAME [-f]}: the logs of the current run's instances, as {@code wharf logs} prints them. */
  @Command(name = "logs", description = "Print (and with -f follow) the logs of every instance of a job's current run.")
  static final class Logs implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "JOB")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines.")
    boolean follow;

    @Option(names = "--task", paramLabel = "T", description = "This task (default: the main task).")
    String task;

    @Mixin
    NamespaceOptions namespaces;

    Logs(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() throws InterruptedException {
      String namespace = namespaces.single();
      PrintStream out = root.environment().out();
      try (WharfClient api = root.client()) {
        JsonNode job = job(api, namespace, name);
        String run = job.path("status").path("run").asText("0");
        List<JsonNode> instances = InstanceLookup.list(api, namespace, name).stream()
            .filter(i -> i.path("spec").path("owner").path("kind").asText().equals("Job"))
            .filter(i -> run.equals(i.path("metadata").path("labels").path("wharf.io/run").asText()))
            .toList();
        if (instances.isEmpty()) {
          throw new CliException(ExitCode.ERROR, "job " + namespace + "/" + name + " has no instances in run " + run);
        }
        LogQuery query = new LogQuery(task, null, follow);
        AgentApi agent = new AgentApi(api);
        ReentrantLock lock = new ReentrantLock();
        boolean prefix = instances.size() > 1;
        if (!follow) {
          for (JsonNode i : instances) {
            LogsCommand.print(agent, namespace, InstanceLookup.name(i), query, prefix, out, lock);
          }
          return ExitCode.OK.code();
        }
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        for (JsonNode i : instances) {
          threads.add(Thread.ofVirtual().start(() -> {
            try {
              LogsCommand.print(agent, namespace, InstanceLookup.name(i), query, prefix, out, lock);
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        if (!failures.isEmpty()) {
          throw failures.getFirst();
        }
        return ExitCode.OK.code();
      }
    }
  }
}
