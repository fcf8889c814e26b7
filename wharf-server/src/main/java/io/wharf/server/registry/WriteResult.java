package io.wharf.server.registry;

/** The outcome of a write: a domain "no" is one of these values, not an exception. */
public sealed interface WriteResult {

  /** The write committed; {@code created} when there was no object before. */
  record Written(StoredObject object, boolean created) implements WriteResult {}

  record NotFound(String kind, String namespace, String name) implements WriteResult {}

  record AlreadyExists(String kind, String namespace, String name) implements WriteResult {}

  /** The caller's revision is stale: the object is at {@code actual} now (0 = gone). */
  record Conflict(String kind, String name, long expected, long actual) implements WriteResult {}
}
