package io.wharf.scheduler.feasible;

import io.wharf.model.workload.Constraint;
import io.wharf.scheduler.Demand;
import io.wharf.scheduler.NodeCandidate;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * Hard constraints over {@code node.name} and {@code node.labels.<key>} (labels are the node's
 * metadata labels merged with the agent's). The first unmet one is the veto.
 */
public final class ConstraintsMet implements FeasibilityCheck {
  private static final String LABELS = "node.labels.";

  @Override
  public Optional<String> veto(Demand demand, NodeCandidate node) {
    for (Constraint c : demand.constraints()) {
      String actual = value(c.attribute(), node);
      if (!holds(c, actual)) {
        String shown = c.attribute().startsWith(LABELS) ? c.attribute().substring(LABELS.length()) : c.attribute();
        return Optional.of("constraint " + c + " not met (" + (actual == null ? shown + " not set" : shown + "=" + actual)
            + ")");
      }
    }
    return Optional.empty();
  }

  private static String value(String attribute, NodeCandidate node) {
    if (attribute.equals("node.name")) {
      return node.name();
    }
    if (attribute.startsWith(LABELS)) {
      return node.labels().get(attribute.substring(LABELS.length()));
    }
    return null;
  }

  static boolean holds(Constraint c, String actual) {
    return switch (c.operator()) {
      case EXISTS -> actual != null;
      case EQUALS -> actual != null && actual.equals(c.value());
      case NOT_EQUALS -> actual == null || !actual.equals(c.value());
      case IN -> actual != null && values(c).contains(actual);
      case NOT_IN -> actual == null || !values(c).contains(actual);
      case REGEX -> {
        try {
          yield actual != null && actual.matches(c.value());
        } catch (PatternSyntaxException e) {
          yield false;
        }
      }
    };
  }

  private static java.util.List<String> values(Constraint c) {
    return c.value() == null ? java.util.List.of() : Arrays.stream(c.value().split(",")).map(String::strip).toList();
  }
}
