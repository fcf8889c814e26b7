package io.wharf.cli.stack;

import picocli.CommandLine.Option;

/** {@code -f FILE}, shared by plan and apply (a picocli mixin). */
public final class StackFileOptions {

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "Stack file (YAML or JSON); - reads stdin.")
  String file;

  public String file() {
    return file;
  }
}
