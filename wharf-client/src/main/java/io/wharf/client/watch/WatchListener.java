package io.wharf.client.watch;

/**
 * Receives a watch's events, in revision order, each once, on the watch's own thread (one
 * thread per watch: a slow listener slows only its watch). A listener that throws ends the
 * watch, reported to {@link #onClosed}.
 */
public interface WatchListener {

  void onEvent(WatchEvent event);

  /**
   * The revision asked for is gone from the server's history; the watch has ended. Relist and
   * watch again from the list's revision + 1.
   */
  default void onCompacted(long compactRevision) {
  }

  /** The connection dropped and the watch is reconnecting (informational). */
  default void onReconnecting(Throwable cause) {
  }

  /**
   * The watch ended: {@code error} is null when it was closed (or compacted), else what ended
   * it (an {@link io.wharf.client.ApiException} the server answered with, or the listener's own
   * exception). Called exactly once, last.
   */
  default void onClosed(Throwable error) {
  }
}
