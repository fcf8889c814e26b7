package io.wharf.cli.e2e;

import java.io.File;
import io.wharf.testkit.auth.TestTokens;
import java.util.List;

/** The command line that runs a main class in a fresh JVM on this test's class path. */
final class JavaCommand {

  private JavaCommand() {
  }

  /**
   * The test environment every child wharf process gets: servers bootstrap with the test admin
   * token ({@code WHARF_BOOTSTRAP_TOKEN}), CLIs and agents send it ({@code WHARF_TOKEN}), and
   * {@code WHARF_HOME} is a directory of this test run, so {@code wharf dev} never writes the
   * credentials of the user running the tests.
   */
  static ProcessBuilder environment(ProcessBuilder builder) {
    builder.environment().put(TestTokens.BOOTSTRAP_VARIABLE, TestTokens.ADMIN);
    builder.environment().put(TestTokens.TOKEN_VARIABLE, TestTokens.ADMIN);
    builder.environment().put("WHARF_HOME", HOME.toString());
    return builder;
  }

  private static final java.nio.file.Path HOME = home();

  private static java.nio.file.Path home() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("wharf-home");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> of(String mainClass) {
    String java = ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dstdout.encoding=UTF-8",
        "-cp", System.getProperty("java.class.path"), mainClass);
  }
}
