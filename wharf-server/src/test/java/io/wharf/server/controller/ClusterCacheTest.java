package io.wharf.server.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.model.Node;
import io.wharf.model.Service;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.server.fixture.CuttableStore;
import io.wharf.server.fixture.FakeCluster;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.TestStores;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import io.wharf.store.RangeResult;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.TxnResult;
import io.wharf.store.Watch;
import io.wharf.store.WatchListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCacheTest {
  @TempDir Path dir;

  static void put(Store store, Service s) {
    String key = ResourceKeys.key(ResourceType.SERVICE, s.metadata().namespace(), s.metadata().name());
    store.txn(Txn.of(List.of(), List.of(new Txn.Put(key, Samples.json(s).getBytes(StandardCharsets.UTF_8)))));
  }

  static void delete(Store store, String ns, String name) {
    store.txn(Txn.of(List.of(), List.of(new Txn.Delete(ResourceKeys.key(ResourceType.SERVICE, ns, name)))));
  }

  @Test
  void listsThenFollowsTheWatchAndTellsHandlers() throws InterruptedException {
    try (Store store = TestStores.open(dir); ClusterCache cache = new ClusterCache(store)) {
      put(store, Samples.service("shop", "web", 1));
      List<String> seen = new CopyOnWriteArrayList<>();
      cache.onChange(c -> seen.add((c.after() == null ? "-" : "+") + c.resource().metadata().name()));
      cache.start();
      assertThat(cache.service("shop", "web")).isPresent();

      put(store, Samples.service("shop", "api", 2));
      delete(store, "shop", "web");
      assertThat(cache.awaitCurrent(Duration.ofSeconds(10))).isTrue();

      assertThat(cache.services()).extracting(s -> s.metadata().name()).containsExactly("api");
      assertThat(cache.service("shop", "api").orElseThrow().metadata().revision()).isPositive();
      assertThat(seen).containsExactly("+web", "+api", "-web");
    }
  }

  @Test
  void aCompactedWatchMakesTheCacheRelistAndReportTheDifferences() throws InterruptedException {
    try (CuttableStore store = new CuttableStore(TestStores.open(dir)); ClusterCache cache = new ClusterCache(store)) {
      put(store, Samples.service("shop", "web", 1));
      put(store, Samples.service("shop", "db", 1));
      List<String> seen = new CopyOnWriteArrayList<>();
      cache.onChange(c -> seen.add((c.after() == null ? "-" : "+") + c.resource().metadata().name()));
      cache.start();
      assertThat(seen).containsExactlyInAnyOrder("+web", "+db");
      seen.clear();

      store.cut();
      put(store, Samples.service("shop", "api", 2));
      delete(store, "shop", "web");
      store.compact(store.revision());
      assertThat(cache.services()).as("the cut watch saw nothing").hasSize(2);
      store.compacted(store.revision());

      await().until(() -> seen.size() == 2);
      assertThat(seen).containsExactlyInAnyOrder("+api", "-web");
      assertThat(cache.services()).extracting(s -> s.metadata().name()).containsExactly("api", "db");

      put(store, Samples.service("shop", "cache", 1));
      await().until(() -> cache.service("shop", "cache").isPresent());
    }
  }

  static void put(Store store, Node n) {
    String key = ResourceKeys.key(ResourceType.NODE, null, n.metadata().name());
    store.txn(Txn.of(List.of(), List.of(new Txn.Put(key, Samples.json(n).getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void theReusedNodeListFollowsEveryNodeChange() throws InterruptedException {
    try (Store store = TestStores.open(dir); ClusterCache cache = new ClusterCache(store)) {
      put(store, FakeCluster.node("n1", 2, 1024, Map.of()));
      cache.start();
      List<Node> first = cache.nodes();
      assertThat(cache.nodes()).as("unchanged: the same list").isSameAs(first);

      put(store, Samples.service("shop", "web", 1));
      assertThat(cache.awaitCurrent(Duration.ofSeconds(10))).isTrue();
      assertThat(cache.nodes()).as("a service change keeps it").isSameAs(first);

      put(store, FakeCluster.node("n2", 2, 1024, Map.of()));
      put(store, FakeCluster.node("n1", 2, 1024, Map.of()).withSpec(new NodeSpec(true, true)));
      assertThat(cache.awaitCurrent(Duration.ofSeconds(10))).isTrue();

      assertThat(cache.nodes()).extracting(n -> n.metadata().name() + ":" + n.spec().drain())
          .containsExactly("n1:true", "n2:false");
    }
  }
}
