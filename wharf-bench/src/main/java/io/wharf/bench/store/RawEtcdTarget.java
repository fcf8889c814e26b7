package io.wharf.bench.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The baseline: plain etcd {@code Put}s through jetcd, no Wharf layer (no transaction, no key
 * root, no error translation). Closing closes the client, then {@code afterClose}.
 */
final class RawEtcdTarget implements WriteTarget {
  private final Client client;
  private final KV kv;
  private final AutoCloseable afterClose;

  RawEtcdTarget(String endpoint, AutoCloseable afterClose) {
    this.client = Client.builder().endpoints(endpoint).build();
    this.kv = client.getKVClient();
    this.afterClose = afterClose;
  }

  @Override
  public String name() {
    return "raw etcd (jetcd put)";
  }

  @Override
  public void put(String key, byte[] value) {
    try {
      kv.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("etcd put " + key + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try (AutoCloseable last = afterClose) {
      client.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing raw etcd target failed", e);
    }
  }
}
