package io.wharf.store;

/** A lease's identity. {@link #NONE} (0) means "no lease". */
public record LeaseId(long id) {
  public static final LeaseId NONE = new LeaseId(0);

  public boolean isNone() {
    return id == 0;
  }
}
