package io.wharf.server.controller.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.server.fixture.CuttableStore;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.TestStores;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceType;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronCacheTest {
  @TempDir Path dir;

  private static void put(Store store, ResourceType type, Resource r) {
    String key = ResourceKeys.key(type, r.metadata().namespace(), r.metadata().name());
    store.txn(Txn.of(List.of(), List.of(new Txn.Put(key, Samples.json(r).getBytes(StandardCharsets.UTF_8)))));
  }

  private static void delete(Store store, ResourceType type, String name) {
    store.txn(Txn.of(List.of(), List.of(new Txn.Delete(ResourceKeys.key(type, "default", name)))));
  }

  private static String describe(Resource r) {
    return r.getClass().getSimpleName() + "/" + r.metadata().name();
  }

  @Test
  void listsCronJobsAndJobsOnlyThenFollowsTheWatch() throws InterruptedException {
    try (Store store = TestStores.open(dir)) {
      put(store, ResourceType.CRON_JOB, Samples.of(Kind.CRON_JOB, "default", "report"));
      put(store, ResourceType.JOB, Samples.of(Kind.JOB, "default", "batch"));
      put(store, ResourceType.SERVICE, Samples.of(Kind.SERVICE, "default", "web"));
      List<String> seen = new CopyOnWriteArrayList<>();
      try (CronCache cache = new CronCache(store, r -> seen.add(describe(r)))) {
        cache.start();
        assertThat(seen).containsExactlyInAnyOrder("CronJob/report", "Job/batch");

        put(store, ResourceType.CRON_JOB, Samples.of(Kind.CRON_JOB, "default", "nightly"));
        delete(store, ResourceType.CRON_JOB, "report");
        assertThat(cache.awaitCurrent(Duration.ofSeconds(10))).isTrue();
        assertThat(cache.cronJobs()).extracting(c -> c.metadata().name()).containsExactly("nightly");
        assertThat(cache.cronJob("default", "nightly").orElseThrow().metadata().revision()).isPositive();
        assertThat(seen.subList(2, seen.size())).as("a delete reports the last state")
            .containsExactly("CronJob/nightly", "CronJob/report");
      }
    }
  }

  @Test
  void aCompactedWatchMakesTheCronCacheRelistAndReportTheDifferences() throws InterruptedException {
    try (CuttableStore store = new CuttableStore(TestStores.open(dir))) {
      put(store, ResourceType.CRON_JOB, Samples.of(Kind.CRON_JOB, "default", "report"));
      put(store, ResourceType.JOB, Samples.of(Kind.JOB, "default", "batch"));
      List<String> seen = new CopyOnWriteArrayList<>();
      try (CronCache cache = new CronCache(store, r -> seen.add(describe(r)))) {
        cache.start();
        seen.clear();

        store.cut();
        put(store, ResourceType.CRON_JOB, Samples.of(Kind.CRON_JOB, "default", "nightly"));
        delete(store, ResourceType.JOB, "batch");
        put(store, ResourceType.SERVICE, Samples.of(Kind.SERVICE, "default", "web"));
        store.compact(store.revision());
        assertThat(cache.cronJobs()).as("the cut watch saw nothing").hasSize(1);
        store.compacted(store.revision());

        await().until(() -> seen.size() == 2);
        assertThat(seen).containsExactlyInAnyOrder("CronJob/nightly", "Job/batch");
        assertThat(cache.cronJobs()).extracting(c -> c.metadata().name()).containsExactly("nightly", "report");
        assertThat(cache.awaitCurrent(Duration.ofSeconds(10))).as("the relisted cache follows the store").isTrue();

        put(store, ResourceType.CRON_JOB, Samples.of(Kind.CRON_JOB, "default", "hourly"));
        await().until(() -> cache.cronJob("default", "hourly").isPresent());
      }
    }
  }
}
