package io.wharf.store.etcd;

import io.wharf.store.Store;
import io.wharf.store.StoreContract;
import io.wharf.testkit.etcd.EtcdFixture;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real etcd. One etcd serves the whole class; every contract test
 * writes under its own random root, so tests do not see each other's keys.
 */
class EtcdStoreContractTest extends StoreContract {
  /**
   * A request timeout for tests that do not test timeouts: generous, because the first call of
   * a JVM loads and initializes jetcd's gRPC stack, which takes seconds on a loaded CI machine.
   */
  static final Duration PATIENT = Duration.ofSeconds(30);

  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  @Override
  protected Store newStore() {
    return EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRequestTimeout(PATIENT));
  }

  @Override
  protected void letLeaseTimePass(Duration ttl) {
    // etcd runs on real time; the contract waits for expiry with Awaitility.
  }
}
