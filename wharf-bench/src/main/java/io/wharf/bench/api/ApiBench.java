package io.wharf.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.ControlPlane;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whole-path latency of the control-plane API over HTTP on loopback, against a ControlPlane on an
 * embedded store in a temp directory, in this process:
 * <ul>
 *   <li>apply of a generated 50-service stack, alternating replicas so every apply is a real
 *       update of all 50 services (one transaction each);</li>
 *   <li>with 10,000 services stored: a full listing in pages of 500, and a label-filtered list.</li>
 * </ul>
 * Run: {@code java -cp ... io.wharf.bench.api.ApiBench [applies] [lists]}.
 */
public final class ApiBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int applies = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int lists = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path dir = Files.createTempDirectory("wharf-apibench");
    HttpClient http = HttpClient.newHttpClient();
    try (Store store = EmbeddedStore.open(dir);
        ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store)) {
      URI base = server.apiAddress();
      System.out.printf("ApiBench: server %s, store %s, %d cores%n", base, dir,
          Runtime.getRuntime().availableProcessors());

      for (int i = 0; i < 20; i++) {
        apply(http, base, stack(50, 1 + i % 2));
      }
      long[] applyNanos = new long[applies];
      for (int i = 0; i < applies; i++) {
        String yaml = stack(50, 1 + i % 2);
        long t0 = System.nanoTime();
        JsonNode r = apply(http, base, yaml);
        applyNanos[i] = System.nanoTime() - t0;
        if (i > 0 && r.path("summary").path("update").asInt() != 50) {
          throw new IllegalStateException("apply did not update 50 services: " + r.path("summary"));
        }
      }
      report("apply 50-service stack (50 updates, 1 txn)", applyNanos);

      seed(store, 10_000);
      for (int i = 0; i < 3; i++) {
        fullList(http, base);
      }
      long[] fullNanos = new long[lists];
      for (int i = 0; i < lists; i++) {
        long t0 = System.nanoTime();
        int n = fullList(http, base);
        fullNanos[i] = System.nanoTime() - t0;
        if (n < 10_000) {
          throw new IllegalStateException("full list saw " + n + " services");
        }
      }
      report("full list of 10,050 services, limit=500 pages (21 requests)", fullNanos);

      long[] pageNanos = new long[lists * 4];
      for (int i = 0; i < pageNanos.length; i++) {
        long t0 = System.nanoTime();
        get(http, base, "/v1/namespaces/seed/services?limit=500");
        pageNanos[i] = System.nanoTime() - t0;
      }
      report("one page of 500 services", pageNanos);

      long[] filteredNanos = new long[lists * 4];
      int matched = 0;
      for (int i = 0; i < filteredNanos.length; i++) {
        long t0 = System.nanoTime();
        JsonNode page = get(http, base, "/v1/namespaces/seed/services?labels=tier=gold&limit=500");
        filteredNanos[i] = System.nanoTime() - t0;
        matched = page.path("items").size();
      }
      report("filtered list labels=tier=gold (" + matched + " of 10,000 match; scans all)", filteredNanos);
    } finally {
      deleteTree(dir);
    }
  }

  /** A stack file of {@code services} services, each with {@code replicas} replicas. */
  static String stack(int services, int replicas) {
    StringBuilder sb = new StringBuilder("stack: bench\nnamespace: default\nservices:\n");
    for (int i = 0; i < services; i++) {
      sb.append(String.format("  svc-%02d:%n", i));
      sb.append("    command: [\"/bin/sleep\", \"1000\"]\n");
      sb.append("    replicas: ").append(replicas).append('\n');
    }
    return sb.toString();
  }

  private static JsonNode apply(HttpClient http, URI base, String yaml) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/apply")).header("Authorization", "Bearer " + io.wharf.testkit.auth.TestTokens.ADMIN)
        .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("apply failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static JsonNode get(HttpClient http, URI base, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + io.wharf.testkit.auth.TestTokens.ADMIN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static int fullList(HttpClient http, URI base) throws IOException, InterruptedException {
    int n = 0;
    String token = null;
    do {
      JsonNode page = get(http, base, "/v1/services?limit=500" + (token == null ? "" : "&continue=" + token));
      n += page.path("items").size();
      token = page.path("continue").isNull() ? null : page.path("continue").asText();
    } while (token != null);
    return n;
  }

  /** Writes {@code count} services straight into the store, 100 per transaction. */
  private static void seed(Store store, int count) {
    TaskSpec task = TaskSpec.main("main", new ProcessDriver(List.of("/bin/sleep"), List.of("1000"), null));
    String now = Instant.now().toString();
    List<Txn.Op> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = String.format("seed-%05d", i);
      Service s = new Service(Metadata.of(name, "seed").withLabels(Map.of("tier", i % 100 == 0 ? "gold" : "plain")),
          new ServiceSpec(1, List.of(task), null, null, null, List.of(), null));
      ObjectNode tree = ResourceCodec.toTree(s);
      ObjectNode metadata = tree.withObjectProperty("metadata");
      metadata.remove("revision");
      metadata.put("createdAt", now).put("updatedAt", now);
      try {
        ops.add(new Txn.Put("/wharf/r/services/seed/" + name, JSON.writeValueAsBytes(tree)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (ops.size() == 100) {
        store.txn(Txn.of(List.of(), ops));
        ops.clear();
      }
    }
    if (!ops.isEmpty()) {
      store.txn(Txn.of(List.of(), ops));
    }
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("%-70s n=%4d  p50=%8.2f ms  p99=%8.2f ms  max=%8.2f ms%n", what, sorted.length,
        sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6,
        sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
