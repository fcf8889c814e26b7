package io.wharf.scheduler.feasible;

import io.wharf.scheduler.NodeCandidate;

/**
 * The node attributes constraints and spread can name: {@code node.name}, {@code node.address} and
 * {@code node.labels.<key>}. Anything else has no value on any node.
 */
public final class NodeAttributes {
  public static final String LABELS = "node.labels.";

  private NodeAttributes() {}

  /**
   * A reader of one attribute, resolved once (a label key is cut out of {@code node.labels.<key>}
   * here, not per node).
   */
  public static java.util.function.Function<NodeCandidate, String> reader(String attribute) {
    if (attribute.startsWith(LABELS)) {
      String key = attribute.substring(LABELS.length());
      return node -> node.labels().get(key);
    }
    return switch (attribute) {
      case "node.name" -> NodeCandidate::name;
      case "node.address" -> NodeCandidate::address;
      default -> node -> null;
    };
  }

  /** The node's value of {@code attribute}, or null when it has none. */
  public static String value(String attribute, NodeCandidate node) {
    if (attribute.startsWith(LABELS)) {
      return node.labels().get(attribute.substring(LABELS.length()));
    }
    return switch (attribute) {
      case "node.name" -> node.name();
      case "node.address" -> node.address();
      default -> null;
    };
  }
}
