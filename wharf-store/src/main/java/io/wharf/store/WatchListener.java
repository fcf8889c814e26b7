package io.wharf.store;

import java.util.List;

/**
 * Receives a watch's changes. Calls come from one thread at a time per watch, in revision
 * order; a slow listener slows only its own watch. Events of one transaction arrive in one call.
 */
public interface WatchListener {

  /** Changes committed in one or more revisions, in order. */
  void onEvents(List<WatchEvent> events);

  /**
   * The revision asked for is gone: history at or below {@code compactRevision} was compacted.
   * The watch has ended; relist and watch again.
   */
  void onCompacted(long compactRevision);

  /** The watch ended for another reason (store closed, connection lost for good). */
  default void onError(Throwable cause) {}
}
