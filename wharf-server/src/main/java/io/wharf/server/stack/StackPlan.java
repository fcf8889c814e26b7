package io.wharf.server.stack;

import io.wharf.server.controller.dependency.StartWaves;
import io.wharf.server.controller.service.PlacementPreview;
import java.util.List;

/**
 * Everything applying a stack would do, against state read at {@code revision}. {@code startWaves}:
 * the stack's services and jobs in dependency order (each wave starts in parallel once the earlier
 * waves meet their conditions); deleting the stack stops them through the waves backwards
 * ({@link #deleteWaves}).
 */
public record StackPlan(String stack, String namespace, long revision, List<PlannedChange> changes,
    List<PlacementPreview.Result> placements, List<List<String>> startWaves, List<InputRollout> rollouts) {
  public StackPlan {
    changes = List.copyOf(changes);
    placements = List.copyOf(placements);
    startWaves = startWaves.stream().map(List::copyOf).toList();
    rollouts = List.copyOf(rollouts);
  }

  /**
   * A stored service that the apply rolls out because configs or secrets it takes change
   * ({@code because}: {@code config page changed}); names only, never values.
   */
  public record InputRollout(String namespace, String name, List<String> because) {
    public InputRollout {
      because = List.copyOf(because);
    }
  }

  public StackPlan(String stack, String namespace, long revision, List<PlannedChange> changes,
      List<PlacementPreview.Result> placements, List<List<String>> startWaves) {
    this(stack, namespace, revision, changes, placements, startWaves, List.of());
  }

  public StackPlan(String stack, String namespace, long revision, List<PlannedChange> changes,
      List<List<String>> startWaves) {
    this(stack, namespace, revision, changes, List.of(), startWaves);
  }

  /** The stop order of {@code wharf delete -f}: the start waves backwards. */
  public List<List<String>> deleteWaves() {
    return StartWaves.reversed(startWaves);
  }

  public long count(PlannedChange.Action action) {
    return changes.stream().filter(c -> c.action() == action).count();
  }

  public boolean changesNothing() {
    return changes.stream().allMatch(c -> c.action() == PlannedChange.Action.UNCHANGED);
  }
}
