package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceList;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import io.wharf.model.Kind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wharf events}: the recorded events (every namespace unless {@code -n}); with
 * {@code --follow}, then every new one as it happens, until interrupted.
 */
@Command(name = "events", description = "Show events; --follow streams new ones as they happen.")
public final class EventsCommand implements Callable<Integer> {

  private final Main root;

  @Mixin
  NamespaceOptions namespaces;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new events (Ctrl-C stops).")
  boolean follow;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default), json or yaml; with --follow, json is one object a line.")
  OutputFormat output = OutputFormat.TABLE;

  public EventsCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    String namespace = namespaces.resolve(true);
    PrintStream out = root.environment().out();
    Documents documents = new Documents();
    try (WharfClient api = root.client()) {
      List<JsonNode> items = new ArrayList<>();
      ListOptions page = new ListOptions(namespace, Map.of(), 0, null);
      long revision;
      while (true) {
        ResourceList list = api.list(Kind.EVENT.plural(), page);
        items.addAll(list.items());
        revision = list.revision();
        if (!list.hasMore()) {
          break;
        }
        page = page.withContinue(list.continueToken());
      }
      if (!follow) {
        if (output != OutputFormat.TABLE) {
          out.print(documents.render(GetCommand.list(Kind.EVENT, items), output));
        } else if (items.isEmpty()) {
          root.environment().err().println("No events found"
              + (namespace != null ? " in namespace " + namespace : "") + ".");
        } else {
          out.print(Columns.table(Kind.EVENT, items, root.environment().clock().instant())
              .render());
        }
        return ExitCode.OK.code();
      }
      if (output == OutputFormat.TABLE) {
        out.println(EventLine.header());
      }
      items.forEach(e -> print(out, documents, e));
      out.flush();
      return followFrom(api, namespace, revision + 1, out, documents);
    }
  }

  private int followFrom(WharfClient api, String namespace, long from, PrintStream out,
      Documents documents) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Long> compactedAt = new AtomicReference<>();
    AtomicBoolean cutOff = new AtomicBoolean();
    PrintStream err = root.environment().err();
    WatchRequest request = new WatchRequest(List.of(Kind.EVENT.plural()), namespace, from);
    while (true) {
      compactedAt.set(null);
      try (WatchStream stream = api.watch(request, new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          cutOff.set(false);
          if (!event.isDelete()) {
            print(out, documents, event.object());
            out.flush();
          }
        }

        @Override
        public void onReconnecting(Throwable cause) {
          if (cutOff.compareAndSet(false, true)) {
            err.println("warning: lost the event stream (" + cause.getMessage()
                + "); reconnecting, no event will be missed");
            err.flush();
          }
        }

        @Override
        public void onCompacted(long compactRevision) {
          compactedAt.set(compactRevision);
        }

        @Override
        public void onClosed(Throwable error) {
          failure.set(error);
        }
      })) {
        while (!stream.awaitEnd(Duration.ofSeconds(1))) {
          // runs until interrupted (Ctrl-C ends the process) or the watch ends
        }
      }
      if (failure.get() != null) {
        throw failure.get() instanceof RuntimeException r ? r
            : new CliException(ExitCode.ERROR, failure.get().getMessage());
      }
      if (compactedAt.get() == null) {
        return ExitCode.OK.code();
      }
      root.environment().err().println("warning: events up to revision " + compactedAt.get()
          + " were compacted before they could be shown; continuing with new events");
      request = new WatchRequest(request.kinds(), namespace, 0);
    }
  }

  private void print(PrintStream out, Documents documents, JsonNode event) {
    switch (output) {
      case TABLE -> out.println(EventLine.of(event));
      case JSON -> out.print(documents.jsonLine(event));
      case YAML -> out.print("---\n" + documents.yaml(event));
    }
  }
}
