package io.wharf.store;

/** A revision asked for was compacted away; relist instead. */
public class CompactedException extends StoreException {
  private final long compactRevision;

  public CompactedException(long compactRevision) {
    super("revision compacted: history at or below " + compactRevision + " is gone; relist");
    this.compactRevision = compactRevision;
  }

  public long compactRevision() {
    return compactRevision;
  }
}
