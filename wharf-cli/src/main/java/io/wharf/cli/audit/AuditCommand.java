package io.wharf.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.client.AuditApi;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf audit}: the audit log, oldest first (every entry unless {@code --since}); with
 * {@code --follow}, then every new entry as it is written, until interrupted.
 */
@Command(name = "audit", description = "Show the audit log: who changed what, when, from where, with what result.")
public final class AuditCommand implements Callable<Integer> {
  private final Main root;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only entries since a time (RFC 3339) or for a duration back from now (1h, 30m, 7d).")
  String since;

  @Option(names = "--principal", paramLabel = "ID", description = "Only calls by this principal (user:alice, node:n1).")
  String principal;

  @Option(names = "--kind", paramLabel = "KIND", description = "Only calls on this kind (Service, Secret, ...).")
  String kind;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only calls on objects in this namespace.")
  String namespace;

  @Option(names = "--verb", paramLabel = "VERB", description = "Only calls with this verb (create, update, delete, apply, ...).")
  String verb;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new entries (Ctrl-C stops).")
  boolean follow;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default) or json (one entry a line).")
  OutputFormat output = OutputFormat.TABLE;

  public AuditCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (output == OutputFormat.YAML) {
      throw CliException.usage("--output yaml is not supported by audit; use table or json");
    }
    PrintStream out = root.environment().out();
    Documents documents = new Documents();
    AuditApi.Query query = new AuditApi.Query(since, principal, kind, namespace, verb);
    try (WharfClient client = root.client()) {
      AuditApi audit = new AuditApi(client);
      if (!follow) {
        List<JsonNode> entries = audit.all(query);
        if (entries.isEmpty() && output == OutputFormat.TABLE) {
          root.environment().err().println("No audit entries found.");
          return ExitCode.OK.code();
        }
        if (output == OutputFormat.TABLE) {
          out.println(AuditLine.header());
        }
        entries.forEach(e -> print(out, documents, e));
        out.flush();
        return ExitCode.OK.code();
      }
      if (output == OutputFormat.TABLE) {
        out.println(AuditLine.header());
        out.flush();
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      try (WatchStream stream = audit.follow(query, new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          print(out, documents, event.object());
          out.flush();
        }

        @Override
        public void onClosed(Throwable error) {
          failure.set(error);
        }
      })) {
        while (!stream.awaitEnd(Duration.ofSeconds(1))) {
          // runs until interrupted (Ctrl-C ends the process) or the stream ends
        }
      }
      if (failure.get() != null) {
        throw failure.get() instanceof RuntimeException r ? r
            : new CliException(ExitCode.ERROR, failure.get().getMessage());
      }
      return ExitCode.OK.code();
    }
  }

  private void print(PrintStream out, Documents documents, JsonNode entry) {
    if (output == OutputFormat.JSON) {
      out.print(documents.jsonLine(entry));
    } else {
      out.println(AuditLine.of(entry));
    }
  }
}
