package io.wharf.scheduler.feasible;

import io.wharf.model.workload.Constraint;
import io.wharf.scheduler.NodeCandidate;
import io.wharf.scheduler.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * A demand's hard constraints, compiled once (regexes, value sets, versions) and then checked
 * against many nodes; the first unmet one is the veto. Immutable and thread-safe.
 *
 * <p>Semantics: {@code ==}/{@code !=} compare strings; {@code =~} must match the whole value;
 * {@code in}/{@code not-in} take a comma-separated list; {@code exists} needs the attribute;
 * {@code > >= < <=} compare {@link VersionOrder versions}. A node that lacks the attribute (a
 * missing label) fails every operator except {@code !=} and {@code not-in}, which hold: "not in
 * zone eu" is true of a node with no zone, while "version >= 2" cannot be of a node with no
 * version. A regex that does not compile, or a version bound that is not a version, is met by
 * no node (validation rejects both before they get here).
 */
public final class ConstraintsMet {
  private final List<Compiled> constraints;

  public ConstraintsMet(List<Constraint> constraints) {
    this.constraints = constraints.stream().map(Compiled::new).toList();
  }

  public boolean isEmpty() {
    return constraints.isEmpty();
  }

  public Optional<Reason> veto(NodeCandidate node) {
    for (Compiled c : constraints) {
      String actual = c.reader.apply(node);
      if (!c.holds(actual)) {
        return Optional.of(new Reason.ConstraintNotMet(c.constraint, actual));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code constraint} holds for a node whose attribute value is {@code actual} (null: absent). */
  public static boolean holds(Constraint constraint, String actual) {
    return new Compiled(constraint).holds(actual);
  }

  private static final class Compiled {
    final Constraint constraint;
    final Pattern pattern;
    final Set<String> values;
    final boolean versionBound;
    final java.util.function.Function<NodeCandidate, String> reader;

    Compiled(Constraint c) {
      this.constraint = c;
      this.reader = NodeAttributes.reader(c.attribute());
      this.pattern = c.operator() == io.wharf.model.workload.ConstraintOperator.REGEX ? compile(c.value()) : null;
      this.values = c.value() == null ? Set.of()
          : Arrays.stream(c.value().split(",")).map(String::strip).collect(Collectors.toUnmodifiableSet());
      this.versionBound = c.operator().comparesVersions() && VersionOrder.isVersion(c.value());
    }

    private static Pattern compile(String regex) {
      try {
        return regex == null ? null : Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        return null;
      }
    }

    boolean holds(String actual) {
      return switch (constraint.operator()) {
        case EXISTS -> actual != null;
        case EQUALS -> actual != null && actual.equals(constraint.value());
        case NOT_EQUALS -> actual == null || !actual.equals(constraint.value());
        case IN -> actual != null && values.contains(actual);
        case NOT_IN -> actual == null || !values.contains(actual);
        case REGEX -> actual != null && pattern != null && pattern.matcher(actual).matches();
        case VERSION_GT, VERSION_GE, VERSION_LT, VERSION_LE -> versionHolds(actual);
      };
    }

    private boolean versionHolds(String actual) {
      if (!versionBound) {
        return false;
      }
      int c = VersionOrder.compare(actual, constraint.value());
      if (c == VersionOrder.NOT_VERSIONS) {
        return false;
      }
      return switch (constraint.operator()) {
        case VERSION_GT -> c > 0;
        case VERSION_GE -> c >= 0;
        case VERSION_LT -> c < 0;
        case VERSION_LE -> c <= 0;
        default -> throw new IllegalStateException(constraint.operator() + " does not compare versions");
      };
    }
  }
}
