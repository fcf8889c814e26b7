package io.wharf.store.embedded;

import io.wharf.store.Store;
import io.wharf.store.StoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store against the shared contract, on a temp directory and a manual clock. */
class EmbeddedStoreContractTest extends StoreContract {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();
  private EmbeddedStore embedded;

  @Override
  protected Store newStore() {
    embedded = EmbeddedStore.open(dir, EmbeddedStoreOptions.defaults().withClock(clock));
    return embedded;
  }

  @Override
  protected void letLeaseTimePass(Duration ttl) {
    clock.advance(ttl);
    embedded.expireLeases();
  }

  @Override
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }
}
