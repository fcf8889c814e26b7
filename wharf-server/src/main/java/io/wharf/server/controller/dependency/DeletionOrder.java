package io.wharf.server.controller.dependency;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Stopping a stack in reverse dependency order. {@code wharf delete -f} (the stack deleter) does
 * not delete a stack's services at once: it labels them {@value #LABEL}, and the service
 * controller walks each through {@link #next}: wait while a dependent that is being deleted too
 * still exists; then mark it stopping (a {@value #STOPPING} condition whose {@code since} is the
 * moment its instances go); delete its instances (the agents stop them: signal, grace, kill);
 * keep the service object for its longest {@code stopGracePeriod} + {@link #MARGIN} so its own
 * dependencies still wait for its processes to end; then delete it. A dependent that is not being
 * deleted does not hold anything back (deleting part of a graph stops that part only). Pure.
 */
public final class DeletionOrder {
  /** The label a stack deletion puts on the services it stops in order. */
  public static final String LABEL = "wharf.io/deleting";
  /** The condition a deleting service carries; {@code since} = when its instances were deleted. */
  public static final String STOPPING = "Stopping";
  /** Beyond the stop grace period, how long a stopped service's dependencies still wait. */
  public static final Duration MARGIN = Duration.ofSeconds(1);

  private DeletionOrder() {}

  /** The next step of a deleting service. */
  public sealed interface Step {}

  /** Dependents (by name) that are being deleted and still exist. */
  public record WaitForDependents(List<String> dependents) implements Step {}

  /** Record that stopping begins now (before the instances go). */
  public record MarkStopping() implements Step {}

  /** Delete the service's instances. */
  public record StopInstances() implements Step {}

  /** The instances are gone; their processes may take {@code left} more to end. */
  public record AwaitStopped(Duration left) implements Step {}

  /** Delete the service object itself. */
  public record Remove() implements Step {}

  public static boolean marked(Map<String, String> labels) {
    return labels.containsKey(LABEL);
  }

  /**
   * @param deletingDependents names of dependents that carry {@link #LABEL} and still exist
   * @param hasInstances whether the service still has instances
   * @param stoppingSince when stopping began (null: not yet)
   * @param grace the longest stop grace period of the service's tasks
   */
  public static Step next(List<String> deletingDependents, boolean hasInstances, Instant stoppingSince,
      Duration grace, Instant now) {
    if (!deletingDependents.isEmpty()) {
      return new WaitForDependents(List.copyOf(deletingDependents));
    }
    if (stoppingSince == null) {
      return new MarkStopping();
    }
    if (hasInstances) {
      return new StopInstances();
    }
    Instant done = stoppingSince.plus(grace).plus(MARGIN);
    return now.isBefore(done) ? new AwaitStopped(Duration.between(now, done)) : new Remove();
  }
}
