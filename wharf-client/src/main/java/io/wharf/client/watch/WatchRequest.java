package io.wharf.client.watch;

import java.util.List;
import java.util.Objects;

/**
 * What to follow: the kinds' plural names ({@code services}, {@code events}; empty for all),
 * one namespace or null for all, the first revision to deliver ({@code 0} for "from now",
 * else typically a list's revision + 1), and for instances the node they are placed on
 * ({@code node}, null for all: an agent's assignment stream).
 */
public record WatchRequest(List<String> kinds, String namespace, long fromRevision, String node) {

  public WatchRequest {
    kinds = List.copyOf(Objects.requireNonNull(kinds, "kinds"));
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must be >= 0, got " + fromRevision);
    }
  }

  public WatchRequest(List<String> kinds, String namespace, long fromRevision) {
    this(kinds, namespace, fromRevision, null);
  }

  public static WatchRequest of(String... kinds) {
    return new WatchRequest(List.of(kinds), null, 0);
  }

  public WatchRequest inNamespace(String namespace) {
    return new WatchRequest(kinds, namespace, fromRevision, node);
  }

  public WatchRequest from(long revision) {
    return new WatchRequest(kinds, namespace, revision, node);
  }

  /** Only instances placed on {@code node}. */
  public WatchRequest onNode(String node) {
    return new WatchRequest(kinds, namespace, fromRevision, node);
  }
}
