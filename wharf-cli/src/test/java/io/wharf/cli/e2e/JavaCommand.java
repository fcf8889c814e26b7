package io.wharf.cli.e2e;

import java.io.File;
import java.util.List;

/** The command line that runs a main class in a fresh JVM on this test's class path. */
final class JavaCommand {

  private JavaCommand() {
  }

  static List<String> of(String mainClass) {
    String java = ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dstdout.encoding=UTF-8",
        "-cp", System.getProperty("java.class.path"), mainClass);
  }
}
