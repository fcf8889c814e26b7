package io.wharf.server.registry;

import java.util.List;

/**
 * One page of a listing, read at {@code revision} (the first store read of the page); {@code
 * continueAfter} is the last key examined when more may follow, else null.
 */
public record ListPage(List<StoredObject> items, long revision, String continueAfter) {
  public ListPage {
    items = List.copyOf(items);
  }
}
