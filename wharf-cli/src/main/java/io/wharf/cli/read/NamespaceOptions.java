package io.wharf.cli.read;

import io.wharf.cli.CliException;
import picocli.CommandLine.Option;

/** {@code -n NS} / {@code -A}, shared by read commands (a picocli mixin). */
public final class NamespaceOptions {

  public static final String DEFAULT_NAMESPACE = "default";

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Namespace (default: default).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
  boolean allNamespaces;

  /**
   * The namespace to read, or null for every namespace.
   *
   * @param allByDefault true when the command reads every namespace unless told otherwise
   */
  public String resolve(boolean allByDefault) {
    if (namespace != null && allNamespaces) {
      throw CliException.usage("-n/--namespace and -A/--all-namespaces exclude each other");
    }
    if (allNamespaces) {
      return null;
    }
    if (namespace != null) {
      return namespace;
    }
    return allByDefault ? null : DEFAULT_NAMESPACE;
  }

  /** The namespace of one object: {@code -n} or default; {@code -A} makes no sense there. */
  public String single() {
    if (allNamespaces) {
      throw CliException.usage("-A/--all-namespaces needs a list, not one object");
    }
    return namespace != null ? namespace : DEFAULT_NAMESPACE;
  }
}
