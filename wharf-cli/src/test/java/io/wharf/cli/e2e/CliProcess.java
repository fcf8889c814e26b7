package io.wharf.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code wharf ARGS} as its own process against one server, in one working directory. */
final class CliProcess {

  /** How a run ended and what it printed. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final String address;
  private final Path directory;

  private final java.util.Map<String, String> env;

  CliProcess(String address, Path directory) {
    this(address, directory, java.util.Map.of());
  }

  /** {@code env} changes the test environment (a null value removes a variable; a null address sets no WHARF_ADDR). */
  CliProcess(String address, Path directory, java.util.Map<String, String> env) {
    this.address = address;
    this.directory = directory;
    this.env = env;
  }

  private void apply(ProcessBuilder builder) {
    if (address != null) {
      builder.environment().put("WHARF_ADDR", address);
    }
    env.forEach((k, v) -> {
      if (v == null) {
        builder.environment().remove(k);
      } else {
        builder.environment().put(k, v);
      }
    });
  }

  /** Starts {@code wharf ARGS} and leaves it running; stdout lines go to {@code lines}. */
  Process start(java.util.List<String> lines, String... args) {
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = JavaCommand.environment(new ProcessBuilder(command)).directory(directory.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    apply(builder);
    try {
      Process process = builder.start();
      Thread.ofVirtual().start(() -> {
        try (java.io.BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
          in.lines().forEach(lines::add);
        } catch (IOException | UncheckedIOException e) {
          // the process ended
        }
      });
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(directory, "out", ".txt");
      Path err = Files.createTempFile(directory, "err", ".txt");
      ProcessBuilder builder = JavaCommand.environment(new ProcessBuilder(command)).directory(directory.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      apply(builder);
      builder.environment().remove("NO_COLOR");
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("wharf " + String.join(" ", args) + " hung");
      }
      Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
