package io.wharf.scheduler;

import java.util.Objects;

/** Why {@code node} cannot take a demand, in words a user can act on. */
public record Veto(String node, Reason reason) {
  public Veto {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(reason, "reason");
  }

  /** A refusal in the caller's own words (e.g. the server ran out of dynamic ports on the node). */
  public Veto(String node, String reason) {
    this(node, new Reason.Other(reason));
  }

  /** The per-node sentence, e.g. {@code not enough memory (need 512Mi, free 256Mi of 4Gi)}. */
  public String text() {
    return reason.text();
  }

  @Override
  public String toString() {
    return node + ": " + reason.text();
  }
}
