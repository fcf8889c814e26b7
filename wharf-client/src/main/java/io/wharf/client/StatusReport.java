package io.wharf.client;

import java.util.List;

/**
 * The server's answer to a batched status report: the revision of its transaction, how many
 * instances it updated, and {@code namespace/name} of the items it skipped because the instance
 * no longer exists.
 */
public record StatusReport(long revision, int updated, List<String> skipped) {

  public StatusReport {
    skipped = List.copyOf(skipped);
  }
}
