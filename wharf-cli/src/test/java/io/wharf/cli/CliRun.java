package io.wharf.cli;

import io.wharf.cli.output.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs the CLI in-process with captured streams, a fixed clock and a chosen terminal. */
public final class CliRun {

  public static final Instant NOW = Instant.parse("2026-11-22T10:10:00Z");

  /** What a run printed and how it exited. */
  public record Result(int exitCode, String out, String err) {
  }

  private final Map<String, String> variables = new HashMap<>();
  private Terminal terminal = Terminal.none(true);
  private String stdin = "";
  private Path workingDirectory = Path.of("").toAbsolutePath();

  public CliRun address(String address) {
    variables.put(Main.ADDRESS_VARIABLE, address);
    return this;
  }

  /** Sends {@code token} ($WHARF_TOKEN). */
  public CliRun token(String token) {
    variables.put(Main.TOKEN_VARIABLE, token);
    return this;
  }

  public CliRun variable(String name, String value) {
    variables.put(name, value);
    return this;
  }

  public CliRun stdin(String text) {
    this.stdin = text;
    return this;
  }

  public CliRun in(Path directory) {
    this.workingDirectory = directory;
    return this;
  }

  /** A terminal whose user answers {@code answer} to every question. */
  public CliRun answering(String answer) {
    this.terminal = new Terminal(true, false, true, question -> Optional.of(answer));
    return this;
  }

  /** A terminal whose user answers with {@code answer}, which may act first. */
  public CliRun answeringWith(java.util.function.Function<String, String> answer) {
    this.terminal = new Terminal(true, false, true,
        question -> Optional.of(answer.apply(question)));
    return this;
  }

  public Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment environment = new Environment(variables,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal,
        Clock.fixed(NOW, ZoneOffset.UTC), workingDirectory);
    int code = Main.run(args, environment);
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
