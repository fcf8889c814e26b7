package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One page of a list: the items, the store revision the page was read at (watch from
 * {@code revision + 1} to follow on), and the token of the next page (null on the last).
 */
public record ResourceList(String kind, long revision, List<JsonNode> items, String continueToken) {

  public ResourceList {
    Objects.requireNonNull(kind, "kind");
    items = List.copyOf(items);
  }

  public boolean hasMore() {
    return continueToken != null && !continueToken.isEmpty();
  }
}
