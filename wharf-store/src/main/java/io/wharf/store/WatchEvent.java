package io.wharf.store;

/**
 * One change seen by a watch. For a {@link Type#DELETE} the key-value carries the deleted key,
 * an empty value and the deleting revision as {@code modRevision}; {@code prev} is the value
 * before the change when the backend knows it, else null.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prev) {
  public enum Type { PUT, DELETE }

  public long revision() {
    return kv.modRevision();
  }
}
