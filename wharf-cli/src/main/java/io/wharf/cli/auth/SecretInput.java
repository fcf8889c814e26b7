package io.wharf.cli.auth;

import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads secrets the user types: from the first line of stdin ({@code --password-stdin}), or
 * asked on the terminal without echo. Never from an argument (it would show in {@code ps} and
 * the shell's history).
 */
final class SecretInput {
  private SecretInput() {}

  /** The first line of stdin, without its line end; an error when stdin is empty. */
  static String firstLine(Environment environment, String what) {
    try {
      String line = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw CliException.usage("--password-stdin: stdin has no " + what);
      }
      return line;
    } catch (IOException e) {
      throw CliException.usage("--password-stdin: cannot read stdin: " + e.getMessage());
    }
  }

  /** Asks on the terminal (no echo on a real console); empty when there is no one to ask. */
  static Optional<String> ask(Environment environment, String question, boolean secret) {
    if (!environment.terminal().interactive()) {
      return Optional.empty();
    }
    java.io.Console console = System.console();
    if (secret && console != null && environment.stdin() == System.in) {
      char[] typed = console.readPassword("%s", question);
      return typed == null ? Optional.empty() : Optional.of(new String(typed));
    }
    return environment.terminal().prompter().ask(question);
  }
}
