package io.wharf.scheduler;

import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.workload.Constraint;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Why one node cannot take an instance. {@link #text()} is the per-node sentence; {@link #group()}
 * is the sentence shared by every node refused for the same cause, which {@link VetoSummary} counts
 * ({@code 3 nodes: not enough memory (need 512Mi, largest free 256Mi)}). Closed set: every rule of
 * the scheduler has one case, plus {@link Other} for refusals made by the caller (e.g. no dynamic
 * port left).
 */
public sealed interface Reason {
  /** The sentence for one node, with that node's figures. */
  String text();

  /** The sentence shared by all nodes refused for this cause; the grouping key. */
  String group();

  /** The group's sentence given all its members (resource groups add the largest free amount). */
  default String groupText(List<Reason> members) {
    return group();
  }

  /** The node is down or has not reported yet. */
  record NodeNotReady() implements Reason {
    @Override public String text() { return "node is not ready"; }
    @Override public String group() { return text(); }
  }

  /** The node is being drained (spec.drain, or state draining). */
  record NodeDraining() implements Reason {
    @Override public String text() { return "node is draining"; }
    @Override public String group() { return text(); }
  }

  /** An operator marked the node ineligible: it keeps what runs there but takes nothing new. */
  record NodeNotEligible() implements Reason {
    @Override public String text() { return "node is not eligible"; }
    @Override public String group() { return text(); }
  }

  record DriverMissing(SortedSet<String> missing, SortedSet<String> present) implements Reason {
    public DriverMissing {
      missing = new TreeSet<>(missing);
      present = new TreeSet<>(present);
    }

    @Override public String text() {
      return group() + " (node has " + (present.isEmpty() ? "none" : String.join(", ", present)) + ")";
    }

    @Override public String group() {
      return (missing.size() == 1 ? "driver " : "drivers ") + String.join(", ", missing) + " missing";
    }
  }

  record NotEnoughCpu(Cpu need, Cpu free, Cpu total) implements Reason {
    @Override public String text() { return "not enough cpu (need " + need + ", free " + free + " of " + total + ")"; }
    @Override public String group() { return "not enough cpu"; }

    @Override public String groupText(List<Reason> members) {
      long largest = members.stream().mapToLong(r -> ((NotEnoughCpu) r).free.millicores()).max().orElse(0);
      return group() + " (need " + need + ", largest free " + new Cpu(largest) + ")";
    }
  }

  record NotEnoughMemory(ByteSize need, ByteSize free, ByteSize total) implements Reason {
    @Override public String text() {
      return "not enough memory (need " + need + ", free " + free + " of " + total + ")";
    }

    @Override public String group() { return "not enough memory"; }

    @Override public String groupText(List<Reason> members) {
      long largest = members.stream().mapToLong(r -> ((NotEnoughMemory) r).free.bytes()).max().orElse(0);
      return group() + " (need " + need + ", largest free " + new ByteSize(largest) + ")";
    }
  }

  record PortsInUse(SortedSet<Integer> ports) implements Reason {
    public PortsInUse {
      ports = new TreeSet<>(ports);
    }

    @Override public String text() { return group(); }

    @Override public String group() {
      return (ports.size() == 1 ? "port " : "ports ")
          + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " already in use";
    }
  }

  /** {@code actual} is the node's value of the attribute, null when the node does not have it. */
  record ConstraintNotMet(Constraint constraint, String actual) implements Reason {
    public ConstraintNotMet {
      Objects.requireNonNull(constraint, "constraint");
    }

    @Override public String text() {
      String attribute = constraint.attribute();
      String shown = attribute.startsWith("node.labels.") ? attribute.substring("node.labels.".length()) : attribute;
      return group() + " (" + (actual == null ? shown + " not set" : shown + "=" + actual) + ")";
    }

    @Override public String group() { return "constraint " + constraint + " not met"; }
  }

  /** The node runs an instance of {@code workload}, which conflicts with the one being placed. */
  record Conflict(String workload) implements Reason {
    public Conflict {
      Objects.requireNonNull(workload, "workload");
    }

    @Override public String text() { return group(); }
    @Override public String group() { return "runs conflicting " + workload; }
  }

  /** distinctNodes: the node already runs an instance of {@code workload}. */
  record AlreadyRunsOne(String workload) implements Reason {
    public AlreadyRunsOne {
      Objects.requireNonNull(workload, "workload");
    }

    @Override public String text() { return group(); }
    @Override public String group() { return "already runs an instance of " + workload + " (distinct nodes)"; }
  }

  /** The instance mounts named volume {@code volume}, which lives on node {@code holder}. */
  record VolumeElsewhere(String volume, String holder) implements Reason {
    public VolumeElsewhere {
      Objects.requireNonNull(volume, "volume");
      Objects.requireNonNull(holder, "holder");
    }

    @Override public String text() { return group(); }
    @Override public String group() { return "volume " + volume + " is on node " + holder; }
  }

  /** A refusal made outside the scheduler's rules, in the caller's words. */
  record Other(String text) implements Reason {
    public Other {
      Objects.requireNonNull(text, "text");
    }

    @Override public String group() { return text; }
  }
}
