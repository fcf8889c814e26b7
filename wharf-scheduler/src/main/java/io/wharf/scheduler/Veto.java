package io.wharf.scheduler;

import java.util.Objects;

/** Why {@code node} cannot take a demand, in words a user can act on. */
public record Veto(String node, String reason) {
  public Veto {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return node + ": " + reason;
  }
}
