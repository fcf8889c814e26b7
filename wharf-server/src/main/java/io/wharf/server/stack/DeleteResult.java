package io.wharf.server.stack;

import java.util.List;

/** The outcome of deleting a stack's resources ({@code POST /v1/delete}). */
public sealed interface DeleteResult {

  /** One declared object, as the deletion found it. */
  record Target(String kind, String namespace, String name) {}

  /**
   * Committed at {@code revision} (0: nothing was there): {@code deleted} are gone, {@code stopping}
   * are services marked to stop in reverse dependency order ({@code deleteWaves}), {@code notFound}
   * were already gone.
   */
  record Deleted(String stack, String namespace, long revision, List<Target> deleted, List<Target> stopping,
      List<Target> notFound, List<List<String>> deleteWaves) implements DeleteResult {
    public Deleted {
      deleted = List.copyOf(deleted);
      stopping = List.copyOf(stopping);
      notFound = List.copyOf(notFound);
      deleteWaves = List.copyOf(deleteWaves);
    }
  }

  /** More objects than one store transaction can hold. */
  record TooLarge(int changes, int max) implements DeleteResult {}
}
