package io.wharf.cli.serve;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.stack.PlanView;
import io.wharf.cli.stack.StackInput;
import io.wharf.cli.stack.StackSource;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.client.stack.Plan;
import io.wharf.server.ControlPlane;
import io.wharf.store.StoreException;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf dev}: opens the embedded store, starts the control plane on it, prints a
 * banner (its {@code API: URL} line is stable for scripts and tests), optionally applies a
 * stack, then serves until the process is told to stop. Shutdown runs in a JVM shutdown hook
 * so SIGINT and SIGTERM both close the control plane and then the store, leaving the data
 * directory clean.
 */
@Command(name = "dev", description = "Run the control plane on an embedded store (laptop mode).",
    footer = {"", "Example:", "  wharf dev --stack examples/demo.yaml"})
public final class DevCommand implements Callable<Integer> {

  /** Relative to the working directory, so each project checkout gets its own state. */
  public static final String DEFAULT_DATA_DIR = ".wharf-dev";

  private final Main root;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the store keeps its data (default: ./" + DEFAULT_DATA_DIR + ").")
  Path dataDir;

  @Option(names = "--port", paramLabel = "N",
      description = "API port (default: 7070; 0 picks a free one).")
  int port = 7070;

  @Option(names = "--bind", paramLabel = "HOST",
      description = "Address to listen on (default: 127.0.0.1).")
  String bind = "127.0.0.1";

  @Option(names = "--stack", paramLabel = "FILE", description = "Apply this stack once started.")
  String stack;

  public DevCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be within 0..65535, got " + port);
    }
    Path dir = root.environment().workingDirectory()
        .resolve(dataDir != null ? dataDir : Path.of(DEFAULT_DATA_DIR)).toAbsolutePath()
        .normalize();
    StackSource stackSource = stack == null ? null : StackInput.read(stack, root.environment());
    RunningControlPlane running = RunningControlPlane.start(() -> openStore(dir),
        "embedded store in " + dir, new ControlPlane.Settings(bind, port, "embedded"));
    PrintStream out = root.environment().out();
    String address = running.controlPlane().apiAddress().toString();
    out.print(banner(address, dir));
    out.flush();
    if (stackSource != null) {
      try {
        applyStack(address, stackSource, out);
      } catch (RuntimeException e) {
        running.close();
        throw e;
      }
    }
    running.awaitClosed();
    return ExitCode.OK.code();
  }

  static EmbeddedStore openStore(Path dir) {
    try {
      return EmbeddedStore.open(dir);
    } catch (StoreException e) {
      throw new CliException(ExitCode.ERROR, e.getMessage()
          + " (is another wharf process using this data directory?)");
    }
  }

  /** What {@code wharf dev} prints once serving; the {@code API:} line is for machines too. */
  public static String banner(String apiAddress, Path dataDir) {
    return """
        Wharf dev is running (control plane on the embedded store).
        API: %1$s
        Data: %2$s

        In another terminal:
          export WHARF_ADDR=%1$s
          wharf apply -f examples/demo.yaml
          wharf get services
          wharf events --follow

        Press Ctrl-C to stop.
        """.formatted(apiAddress, dataDir);
  }

  private void applyStack(String address, StackSource source, PrintStream out) {
    try (WharfClient api = new WharfClient(ClientSettings.of(address))) {
      Plan plan = api.plan(source.text(), source.contentType());
      out.print(PlanView.forTerminal(root.environment().terminal()).render(plan));
      if (plan.hasChanges()) {
        Plan applied = api.apply(source.text(), source.contentType(),
            OptionalLong.of(plan.revision()));
        out.println(PlanView.applied(applied));
      }
      out.flush();
    }
  }

}
