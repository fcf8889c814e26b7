package io.wharf.cli;

import io.wharf.cli.output.Terminal;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the CLI takes from its process: environment variables, the standard streams,
 * the terminal, the clock and the working directory. Tests pass their own.
 */
public record Environment(Map<String, String> variables, InputStream stdin, PrintStream out,
    PrintStream err, Terminal terminal, Clock clock, Path workingDirectory) {

  public Environment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
  }

  public static Environment system() {
    return new Environment(System.getenv(), System.in, System.out, System.err,
        Terminal.detect(System.getenv()), Clock.systemUTC(), Path.of("").toAbsolutePath());
  }

  public String variable(String name) {
    return variables.get(name);
  }
}
