package io.wharf.server.stack;

import io.wharf.server.controller.service.PlacementPreview;
import java.util.List;

/** Everything applying a stack would do, against state read at {@code revision}. */
public record StackPlan(String stack, String namespace, long revision, List<PlannedChange> changes,
    List<PlacementPreview.Result> placements) {
  public StackPlan {
    changes = List.copyOf(changes);
    placements = List.copyOf(placements);
  }

  public StackPlan(String stack, String namespace, long revision, List<PlannedChange> changes) {
    this(stack, namespace, revision, changes, List.of());
  }

  public long count(PlannedChange.Action action) {
    return changes.stream().filter(c -> c.action() == action).count();
  }

  public boolean changesNothing() {
    return changes.stream().allMatch(c -> c.action() == PlannedChange.Action.UNCHANGED);
  }
}
