package io.wharf.cli.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.AgentApi;
import io.wharf.client.LogLines;
import io.wharf.client.LogQuery;
import io.wharf.client.WharfClient;
import io.wharf.model.quantity.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf logs [-f] [--since DUR] [--task T] SERVICE|INSTANCE}: an instance's log lines, or
 * those of every instance of a service, each line prefixed with its instance's name.
 */
@Command(name = "logs", description = "Print (and with -f follow) the logs of an instance or of every instance of a service.")
public final class LogsCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(index = "0", paramLabel = "SERVICE|INSTANCE", description = "An instance, or a service for all its instances.")
  String target;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines.")
  boolean follow;

  @Option(names = "--since", paramLabel = "DUR", description = "Only lines of the last DUR, e.g. 10m.")
  String since;

  @Option(names = "--task", paramLabel = "T", description = "This task (default: the main task).")
  String task;

  @Mixin
  NamespaceOptions namespaces;

  public LogsCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    Duration window = null;
    if (since != null) {
      window = Durations.parse(since).filter(d -> !d.isNegative())
          .orElseThrow(() -> CliException.usage("--since must be a duration like 10m or 30s, got " + since));
    }
    LogQuery query = new LogQuery(task, window, follow);
    String namespace = namespaces.single();
    PrintStream out = root.environment().out();
    try (WharfClient api = root.client()) {
      List<JsonNode> instances = InstanceLookup.resolve(api, namespace, target);
      var agent = new AgentApi(api);
      boolean prefix = instances.size() > 1 || !InstanceLookup.name(instances.getFirst()).equals(target);
      if (!follow) {
        for (JsonNode i : instances) {
          print(agent, namespace, InstanceLookup.name(i), query, prefix, out, new ReentrantLock());
        }
        return ExitCode.OK.code();
      }
      // Following several instances: one thread each, lines interleaved whole.
      var lock = new ReentrantLock();
      List<Thread> threads = new ArrayList<>();
      List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (JsonNode i : instances) {
        threads.add(Thread.ofVirtual().start(() -> {
          try {
            print(agent, namespace, InstanceLookup.name(i), query, prefix, out, lock);
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

  /** Prints one instance's lines (prefixed with its name when {@code prefix}), whole lines under {@code lock}. */
  static void print(AgentApi agent, String namespace, String instance, LogQuery query, boolean prefix,
      PrintStream out, ReentrantLock lock) {
    try (LogLines lines = agent.logs(namespace, instance, query)) {
      String line;
      while ((line = lines.next()) != null) {
        lock.lock();
        try {
          out.println(prefix ? "[" + instance + "] " + line : line);
          out.flush();
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
