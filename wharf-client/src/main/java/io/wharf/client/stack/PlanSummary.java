package io.wharf.client.stack;

/** How many resources a plan creates, updates, deletes and leaves alone. */
public record PlanSummary(int create, int update, int delete, int unchanged) {

  public PlanSummary {
    if (create < 0 || update < 0 || delete < 0 || unchanged < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }

  public boolean hasChanges() {
    return create + update + delete > 0;
  }
}
