package io.wharf.bench.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.ControlPlane;
import io.wharf.server.secrets.KeySource;
import io.wharf.server.secrets.SecretKeyring;
import io.wharf.server.secrets.SecretSealer;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The cost of sealing secrets, side by side with what it is compared to, in one run against one
 * ControlPlane on an embedded store (fsync on) over HTTP on loopback:
 * <ul>
 *   <li>apply of 50 secrets whose 256-character values all change (the plan opens 50 stored values,
 *       the apply seals 50) versus the same apply of 50 configs of the same size, interleaved so
 *       both see the same machine;</li>
 *   <li>{@code POST /v1/secrets/rotate-key} re-sealing N secrets (one transaction each).</li>
 * </ul>
 * Run: {@code java -cp ... io.wharf.bench.secrets.SecretsBench [applies (200)] [secrets to rotate (1000)]}.
 */
public final class SecretsBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer " + io.wharf.testkit.auth.TestTokens.ADMIN;

  public static void main(String[] args) throws Exception {
    int applies = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rotated = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path dir = Files.createTempDirectory("wharf-secretsbench");
    HttpClient http = HttpClient.newHttpClient();
    try (Store store = EmbeddedStore.open(dir.resolve("store"));
        ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded")
            .withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store,
            ControlPlane.Tuning.DEFAULTS, new SecretSealer(KeySource.generatedIn(dir)))) {
      URI base = server.apiAddress();
      System.out.printf("SecretsBench: server %s, store %s, %d cores%n", base, dir,
          Runtime.getRuntime().availableProcessors());
      for (int i = 0; i < 20; i++) {
        apply(http, base, stack("secrets", "value", "s", 50, i));
        apply(http, base, stack("configs", "data", "c", 50, i));
      }
      long[] secretNanos = new long[applies];
      long[] configNanos = new long[applies];
      for (int i = 0; i < applies; i++) {
        secretNanos[i] = timedApply(http, base, stack("secrets", "value", "s", 50, 100 + i));
        configNanos[i] = timedApply(http, base, stack("configs", "data", "c", 50, 100 + i));
      }
      double secretP50 = report("apply 50 secrets, every value changed (open 50 + seal 50)", secretNanos);
      double configP50 = report("apply 50 configs of the same size, every one changed", configNanos);
      System.out.printf("secrets / configs at p50: %.2fx%n", secretP50 / configP50);

      apply(http, base, stack("secrets", "value", "r", rotated, 0));
      Path keyFile = dir.resolve(KeySource.DEFAULT_FILE);
      Files.writeString(keyFile, SecretKeyring.keyLine(SecretKeyring.randomKey()) + Files.readString(keyFile));
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/secrets/rotate-key")).header("Authorization", BEARER)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - t0;
      JsonNode answer = JSON.readTree(r.body());
      System.out.printf("rotate-key: re-sealed %d secrets in %.0f ms (%.2f ms each)%n",
          answer.path("resealed").asInt(), nanos / 1e6, nanos / 1e6 / Math.max(1, answer.path("resealed").asInt()));
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A stack {@code name-<prefix>} of {@code n} configs or secrets, each a 256-character text that differs per {@code round}. */
  static String stack(String section, String field, String prefix, int n, int round) {
    StringBuilder sb = new StringBuilder("stack: bench-" + prefix + "\nnamespace: default\n" + section + ":\n");
    String pad = "x".repeat(240);
    for (int i = 0; i < n; i++) {
      sb.append(String.format("  %s-%04d: {%s: \"%s%08d%08d\"}%n", prefix, i, field, pad, round, i));
    }
    return sb.toString();
  }

  private static long timedApply(HttpClient http, URI base, String yaml) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    JsonNode r = apply(http, base, yaml);
    long nanos = System.nanoTime() - t0;
    if (r.path("summary").path("update").asInt() != 50) {
      throw new IllegalStateException("apply did not update 50 objects: " + r.path("summary"));
    }
    return nanos;
  }

  private static JsonNode apply(HttpClient http, URI base, String yaml) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/apply")).header("Authorization", BEARER)
        .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("apply failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static double report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double p50 = sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6;
    System.out.printf("%-62s n=%4d  p50=%8.2f ms  p99=%8.2f ms  max=%8.2f ms%n", what, sorted.length, p50,
        sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6, sorted[sorted.length - 1] / 1e6);
    return p50;
  }
}
