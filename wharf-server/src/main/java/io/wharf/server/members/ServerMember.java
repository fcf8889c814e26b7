package io.wharf.server.members;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One control-plane server as it registered itself: its id (the {@code host:port} others reach its
 * API at, which is also its id in the leader election), the API addresses it serves, its version,
 * when it started and when its last heartbeat was written.
 */
public record ServerMember(String id, List<String> addresses, String version, Instant startedAt,
    Instant heartbeat) {
  public ServerMember {
    Objects.requireNonNull(id, "id");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeat, "heartbeat");
  }

  /** The same member, with its heartbeat at {@code when}. */
  public ServerMember beatAt(Instant when) {
    return new ServerMember(id, addresses, version, startedAt, when);
  }
}
