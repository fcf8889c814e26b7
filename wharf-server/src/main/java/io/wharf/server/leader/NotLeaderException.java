package io.wharf.server.leader;

/** A leader-only write was refused because this server is not (or no longer) the leader. */
public final class NotLeaderException extends RuntimeException {
  public NotLeaderException(String server) {
    super("server " + server + " is not the leader", null, false, false);
  }
}
