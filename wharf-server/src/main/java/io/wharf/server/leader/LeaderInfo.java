package io.wharf.server.leader;

import java.time.Instant;
import java.util.Objects;

/** Who holds the leader key: the server's id, its API address, since when, and the key's revision. */
public record LeaderInfo(String id, String address, Instant since, long revision) {
  public LeaderInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(since, "since");
  }
}
