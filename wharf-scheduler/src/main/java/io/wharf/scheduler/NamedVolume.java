package io.wharf.scheduler;

import java.util.Objects;

/**
 * A named volume an instance mounts, and the node that holds it ({@code null} while no node has
 * created it yet). Named volumes live on one node's disk, so an instance mounting one may only go
 * there; an unheld volume pins the first placement of a batch and every later one to that node.
 * {@code name} should be unique in the cluster (the server passes {@code namespace/name}).
 */
public record NamedVolume(String name, String node) {
  public NamedVolume {
    Objects.requireNonNull(name, "name");
  }

  public static NamedVolume unheld(String name) {
    return new NamedVolume(name, null);
  }
}
