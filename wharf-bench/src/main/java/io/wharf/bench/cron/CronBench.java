package io.wharf.bench.cron;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.model.CronJob;
import io.wharf.model.Metadata;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.JobSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cron firing lateness: N cron jobs ({@code * * * * *}, 1,000 by default) all due at the same
 * minute boundary, on a control plane (controllers on) on an embedded store in a temp directory,
 * in this process. For each slot's Job: lateness = the Job's {@code createdAt} (the firing
 * transaction's time) − the slot, and seen = when a watch client of the API received the Job −
 * the slot (same machine, same clock). Prints p50/p99/max per round.
 * Run: {@code java -cp ... io.wharf.bench.cron.CronBench [cronJobs (1000)] [rounds (2)]}.
 */
public final class CronBench {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Files.createTempDirectory("wharf-cronbench");
    try (Store store = EmbeddedStore.open(dir);
        ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
        WharfClient client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      System.out.printf("CronBench: %d cron jobs, %d rounds, server %s, store %s, %d cores%n", count, rounds,
          server.apiAddress(), dir, Runtime.getRuntime().availableProcessors());
      Map<String, Instant> seen = new ConcurrentHashMap<>();
      long from = client.health().path("revision").asLong() + 1;
      var watch = client.watch(WatchRequest.of("jobs").from(from), new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          if (!event.isDelete()) {
            seen.putIfAbsent(event.object().path("metadata").path("name").asText(), Instant.now());
          }
        }
      });
      ResourceClient resources = new ResourceClient(client);
      JobSpec job = JobSpec.of(TaskSpec.main("main", new ProcessDriver(List.of("true"), List.of(), null)));
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        resources.put(new CronJob(Metadata.of(String.format("c%05d", i), "default"),
            new CronJobSpec("* * * * *", "UTC", ConcurrencyPolicy.ALLOW, null, 3, false, job)));
      }
      System.out.printf("created %d cron jobs in %d ms%n", count, Duration.ofNanos(System.nanoTime() - t0).toMillis());
      Instant slot = Instant.ofEpochSecond((Instant.now().getEpochSecond() / 60 + 1) * 60);
      for (int round = 0; round < rounds; round++, slot = slot.plusSeconds(60)) {
        Instant s = slot;
        String suffix = "-" + s.getEpochSecond();
        long deadline = System.currentTimeMillis() + Duration.between(Instant.now(), s).toMillis() + 120_000;
        List<JsonNode> jobs;
        while (true) {
          jobs = client.listAll("jobs", ListOptions.inNamespace("default")).stream()
              .filter(j -> j.path("metadata").path("name").asText().endsWith(suffix)).toList();
          boolean allSeen = jobs.stream().allMatch(j -> seen.containsKey(j.path("metadata").path("name").asText()));
          if (jobs.size() == count && allSeen) {
            break;
          }
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("slot " + s + ": " + jobs.size() + " of " + count + " jobs after 2 min");
          }
          Thread.sleep(200); // polls the API for the round's jobs; the figures come from timestamps
        }
        long[] late = new long[count];
        long[] watched = new long[count];
        for (int i = 0; i < count; i++) {
          JsonNode j = jobs.get(i);
          late[i] = Duration.between(s, Instant.parse(j.path("metadata").path("createdAt").asText())).toMillis();
          watched[i] = Duration.between(s, seen.get(j.path("metadata").path("name").asText())).toMillis();
        }
        System.out.printf("slot %s: %d jobs; lateness (createdAt - slot) %s; seen on a watch (- slot) %s%n", s, count,
            summary(late), summary(watched));
      }
      watch.close();
    }
  }

  private static String summary(long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    return String.format("p50 %d ms, p99 %d ms, max %d ms", sorted[sorted.length / 2],
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)], sorted[sorted.length - 1]);
  }
}
