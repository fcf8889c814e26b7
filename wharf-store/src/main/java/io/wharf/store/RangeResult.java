package io.wharf.store;

import java.util.List;

/** Keys read at {@code revision}, in key order; {@code more} when the limit cut the list. */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more) {
  public RangeResult {
    kvs = List.copyOf(kvs);
  }
}
