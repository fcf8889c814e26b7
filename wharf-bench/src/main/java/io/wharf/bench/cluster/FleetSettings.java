package io.wharf.bench.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * A simulated fleet: {@code nodes} nodes named {@code prefix-00001...}, each offering
 * {@code cpuMillis} and {@code memoryBytes} and the {@code sim} driver; heartbeats every
 * {@code heartbeat} (all nodes in one batch call); {@code reporters} threads sending status
 * reports of up to {@code batch} items each. {@code watchPerNode}: each node opens its own
 * assignment watch ({@code kinds=instances&node=NAME}, as a real agent does) instead of one
 * watch of all instances for the fleet.
 */
public record FleetSettings(String prefix, int nodes, long cpuMillis, long memoryBytes, Duration heartbeat,
    int reporters, int batch, boolean watchPerNode) {

  public FleetSettings {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (nodes < 1 || nodes > 99_999) {
      throw new IllegalArgumentException("nodes must be within 1..99999, got " + nodes);
    }
    if (reporters < 1 || batch < 1 || batch > 1000) {
      throw new IllegalArgumentException("reporters >= 1 and batch within 1..1000");
    }
  }

  /**
   * {@code nodes} nodes of 2 cores and 8 GiB (200 of the benchmark's 10m instances each, so 5,000
   * nodes hold exactly 1,000,000), heartbeat every 5 s, 4 reporters of 1,000 items.
   */
  public static FleetSettings of(int nodes) {
    return new FleetSettings("sim", nodes, 2_000, 8L << 30, Duration.ofSeconds(5), 4, 1000, false);
  }

  public FleetSettings withHeartbeat(Duration every) {
    return new FleetSettings(prefix, nodes, cpuMillis, memoryBytes, every, reporters, batch, watchPerNode);
  }

  public FleetSettings withWatchPerNode(boolean on) {
    return new FleetSettings(prefix, nodes, cpuMillis, memoryBytes, heartbeat, reporters, batch, on);
  }

  public String nodeName(int i) {
    return String.format("%s-%05d", prefix, i);
  }
}
