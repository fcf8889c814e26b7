package io.wharf.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key's value and its revisions. {@code lease} is {@link LeaseId#NONE} when the key is
 * not attached to a lease. The value array is never mutated after construction.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version,
    LeaseId lease) {

  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(lease, "lease");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
        && createRevision == kv.createRevision && modRevision == kv.modRevision
        && version == kv.version && lease.equals(kv.lease);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version, lease);
  }

  @Override
  public String toString() {
    return "KeyValue[" + key + " rev=" + modRevision + " create=" + createRevision + " v=" + version
        + " lease=" + lease.id() + " " + value.length + "B]";
  }
}
