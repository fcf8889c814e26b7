package io.wharf.cli.output;

/** {@code -o} of read commands. */
public enum OutputFormat {
  TABLE,
  JSON,
  YAML
}
