package io.wharf.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchHubTest {
  @TempDir Path dir;

  private static void put(Store store, String name) {
    store.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/r/configs/default/" + name,
        ("{\"kind\":\"Config\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"}}")
            .getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void aSlowClientIsDroppedWithoutHoldingBackOthers() throws Exception {
    try (Store store = TestStores.open(dir);
        WatchHub hub = new WatchHub(store, ResourceCodec.json(), 100, 3)) {
      Subscription slow = hub.subscribe(WatchFilter.EVERYTHING, 0);
      Subscription fast = hub.subscribe(WatchFilter.EVERYTHING, 0);
      List<Long> fastRevisions = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        put(store, "c" + i);
        long revision = store.revision();
        await().until(() -> {
          Subscription.Item item = fast.poll(Duration.ofMillis(50));
          if (item instanceof Subscription.Batch b) {
            fastRevisions.add(b.revision());
          }
          return fastRevisions.contains(revision);
        });
      }
      assertThat(fastRevisions).hasSize(6);
      assertThat(slow.ended()).isTrue();
      assertThat(hub.subscriberCount()).isEqualTo(1);
      List<Subscription.Item> slowItems = new ArrayList<>();
      Subscription.Item item;
      while ((item = slow.poll(Duration.ofMillis(10))) != null) {
        slowItems.add(item);
      }
      assertThat(slowItems).hasSize(4);
      assertThat(slowItems.subList(0, 3)).allMatch(i -> i instanceof Subscription.Batch);
      assertThat(slowItems.get(3)).isInstanceOfSatisfying(Subscription.End.class,
          end -> assertThat(end.reason()).isEqualTo(Subscription.End.Reason.OVERFLOW));
      slow.close();
      fast.close();
    }
  }
}
