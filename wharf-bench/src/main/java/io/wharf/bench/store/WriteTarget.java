package io.wharf.bench.store;

/**
 * One system under test: something that durably stores a key's value. Implementations are
 * safe for concurrent {@link #put} calls; {@link #close()} releases everything they started.
 */
interface WriteTarget extends AutoCloseable {

  /** The name printed in the results table. */
  String name();

  /** Stores {@code value} under {@code key}; returns once the write is durable. */
  void put(String key, byte[] value);

  @Override
  void close();
}
