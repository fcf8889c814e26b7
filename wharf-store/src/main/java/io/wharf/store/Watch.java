package io.wharf.store;

/** An open watch; closing it stops delivery. Idempotent. */
public interface Watch extends AutoCloseable {
  @Override
  void close();
}
