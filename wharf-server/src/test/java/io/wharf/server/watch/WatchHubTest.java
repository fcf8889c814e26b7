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

  private static Txn.Op instance(String name, String node) {
    return new Txn.Put("/wharf/r/instances/default/" + name, ("{\"kind\":\"Instance\",\"metadata\":{\"name\":\""
        + name + "\",\"namespace\":\"default\"},\"spec\":{\"node\":\"" + node + "\"}}").getBytes(StandardCharsets.UTF_8));
  }

  /** Names of the changes queued for the subscriber now. */
  private static List<String> drained(Subscription s) throws InterruptedException {
    List<String> names = new ArrayList<>();
    Subscription.Item item;
    while ((item = s.poll(Duration.ofMillis(10))) != null) {
      if (item instanceof Subscription.Batch b) {
        b.changes().forEach(c -> names.add(c.type() + " " + c.name()));
      }
    }
    return names;
  }

  @Test
  void nodeWatchesGetOnlyTheirNodesInstancesAndUnfilteredWatchesGetEverything() throws Exception {
    try (Store store = TestStores.open(dir);
        WatchHub hub = new WatchHub(store, ResourceCodec.json(), 100, 100)) {
      java.util.Set<io.wharf.server.registry.ResourceType> instances = java.util.Set.of(
          io.wharf.server.registry.ResourceType.INSTANCE);
      Subscription n1 = hub.subscribe(new WatchFilter(instances, null, "n1"), 0);
      Subscription n2 = hub.subscribe(new WatchFilter(instances, null, "n2"), 0);
      Subscription n3 = hub.subscribe(new WatchFilter(instances, null, "n3"), 0);
      Subscription all = hub.subscribe(WatchFilter.EVERYTHING, 0);
      assertThat(hub.subscriberCount()).isEqualTo(4);

      store.txn(Txn.of(List.of(), List.of(instance("a", "n1"), instance("b", "n2"), instance("c", "n1"))));
      put(store, "cfg");
      // A delete the store gives no previous value for has no node: every node watch gets it.
      store.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/r/instances/default/d", new byte[0]))));
      store.txn(Txn.of(List.of(), List.of(new Txn.Delete("/wharf/r/instances/default/d"))));

      // The hub offers each revision to every subscriber in one pass: once the unfiltered watch
      // has the last one, every node watch has had its share.
      List<String> seen = new ArrayList<>();
      await().until(() -> {
        seen.addAll(drained(all));
        return seen.contains("DELETE d");
      });
      assertThat(seen).containsExactly("PUT a", "PUT b", "PUT c", "PUT cfg", "PUT d", "DELETE d");
      assertThat(drained(n1)).containsExactly("PUT a", "PUT c", "PUT d", "DELETE d");
      assertThat(drained(n2)).containsExactly("PUT b", "PUT d", "DELETE d");
      assertThat(drained(n3)).containsExactly("PUT d", "DELETE d");

      n2.close();
      assertThat(hub.subscriberCount()).isEqualTo(3);
      store.txn(Txn.of(List.of(), List.of(instance("e", "n2"))));
      List<String> later = new ArrayList<>();
      await().until(() -> {
        later.addAll(drained(all));
        return later.contains("PUT e");
      });
      assertThat(drained(n1)).isEmpty();
      n1.close();
      n3.close();
      all.close();
    }
  }
}
