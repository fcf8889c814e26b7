package io.wharf.server.stack;

/** The outcome of an apply: committed (or nothing to do) at {@code revision}, or refused. */
public sealed interface ApplyResult {

  /** Every change of {@code plan} committed in one transaction at {@code revision}. */
  record Applied(StackPlan plan, long revision) implements ApplyResult {}

  /** {@code expectRevision} is stale: {@code kind namespace/name} changed at {@code revision}. */
  record Stale(String kind, String namespace, String name, long revision, long expectRevision)
      implements ApplyResult {}

  /** The plan changes more objects than one store transaction can hold. */
  record TooLarge(int changes, int max) implements ApplyResult {}
}
