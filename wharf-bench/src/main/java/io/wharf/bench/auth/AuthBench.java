package io.wharf.bench.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.Credentials;
import io.wharf.server.auth.identity.ApiTokens;
import io.wharf.server.auth.identity.AuthCache;
import io.wharf.server.auth.identity.AuthRecords;
import io.wharf.server.auth.identity.Authorizer;
import io.wharf.server.auth.policy.Permission;
import io.wharf.server.auth.policy.Verb;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.store.etcd.EtcdStore;
import io.wharf.store.etcd.EtcdStoreOptions;
import io.wharf.testkit.auth.TestTokens;
import io.wharf.testkit.etcd.EtcdFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What authentication costs an API call, against a ControlPlane in this process over HTTP on
 * loopback, on the embedded store (fsync on) and on a real etcd that the testkit fixture starts:
 * <ul>
 *   <li>a cheap authenticated GET ({@code GET /v1/namespaces/default/services}, an empty list) by
 *       {@code user:bench}, whose one grant is a custom role, so authorising it needs the token, the
 *       principal and the role: latency one call at a time, then throughput with N concurrent
 *       callers; and the store reads per call, counted by a wrapper around the store;</li>
 *   <li>the same authentication and authorisation alone, in this process: records read from the
 *       store on every call (the path before the auth cache) against a synced auth cache;</li>
 *   <li>a flood of unauthenticated writes ({@code POST} with a garbage token, 401): store
 *       transactions per refused call (their audit entries).</li>
 * </ul>
 * Run: {@code java -cp ... io.wharf.bench.auth.AuthBench [embedded|etcd|both] [calls (3000)] [concurrency (16)]}.
 */
public final class AuthBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "Bearer " + TestTokens.ADMIN;
  private static final String LIST = "/v1/namespaces/default/services";

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "both";
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    System.out.printf("AuthBench: %d calls, concurrency %d, %d cores%n", calls, concurrency,
        Runtime.getRuntime().availableProcessors());
    if (which.equals("embedded") || which.equals("both")) {
      Path dir = Files.createTempDirectory("wharf-authbench");
      try (ReadCountingStore store = new ReadCountingStore(EmbeddedStore.open(dir))) {
        run("embedded", store, calls, concurrency);
      } finally {
        deleteTree(dir);
      }
    }
    if (which.equals("etcd") || which.equals("both")) {
      try (EtcdFixture etcd = EtcdFixture.started();
          ReadCountingStore store = new ReadCountingStore(
              EtcdStore.connect(EtcdStoreOptions.of(etcd.endpoint()).withRoot("/authbench")))) {
        run("etcd", store, calls, concurrency);
      }
    }
  }

  private static void run(String kind, ReadCountingStore store, int calls, int concurrency) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ControlPlane server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, kind)
        .withBootstrapToken(TestTokens.ADMIN), store, ControlPlane.Tuning.DEFAULTS)) {
      URI base = server.apiAddress();
      send(http, base, "POST", "/v1/auth/roles", ADMIN,
          "{\"name\":\"bench-reader\",\"rules\":[{\"namespace\":\"default\",\"kinds\":[\"Service\"],\"verbs\":[\"list\"]}]}", 201);
      send(http, base, "POST", "/v1/auth/principals", ADMIN, "{\"id\":\"user:bench\",\"roles\":[\"bench-reader\"]}", 201);
      String bearer = "Bearer " + JSON.readTree(send(http, base, "POST", "/v1/auth/tokens", ADMIN,
          "{\"principal\":\"user:bench\"}", 201)).path("token").asText();
      for (int i = 0; i < 500; i++) {
        send(http, base, "GET", LIST, bearer, null, 200);
      }

      long reads0 = store.reads.sum();
      long[] nanos = new long[calls];
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        send(http, base, "GET", LIST, bearer, null, 200);
        nanos[i] = System.nanoTime() - t0;
      }
      double readsPerCall = (store.reads.sum() - reads0) / (double) calls;
      report(kind + ": authenticated GET " + LIST + ", one caller", nanos);
      System.out.printf("%s: store reads per authenticated GET: %.2f%n", kind, readsPerCall);

      int total = calls * 4;
      AtomicInteger next = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < concurrency; t++) {
        threads.add(Thread.ofVirtual().start(() -> {
          try {
            while (next.getAndIncrement() < total) {
              send(http, base, "GET", LIST, bearer, null, 200);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%s: authenticated GET, %d concurrent callers: %.0f calls/s (%d calls in %.2f s)%n", kind,
          concurrency, total / seconds, total, seconds);

      seamAlone(kind, store, bearer.substring("Bearer ".length()), calls);

      int refused = Math.min(calls, 1000);
      long txns0 = store.txns.sum();
      long[] refusedNanos = new long[refused];
      for (int i = 0; i < refused; i++) {
        long s = System.nanoTime();
        send(http, base, "POST", LIST, "Bearer wharf_garbage" + i, "{}", 401);
        refusedNanos[i] = System.nanoTime() - s;
      }
      report(kind + ": POST with a garbage token (401)", refusedNanos);
      System.out.printf("%s: store transactions per refused call: %.3f%n", kind,
          (store.txns.sum() - txns0) / (double) refused);
    }
  }

  /**
   * Authentication and authorisation alone, in this process, without HTTP: the token, principal
   * and role read from the store on every call (what every call did before the auth cache) against
   * the same read from a synced {@link AuthCache}, in alternating blocks so both see the same machine.
   */
  private static void seamAlone(String kind, ReadCountingStore store, String token, int calls) throws Exception {
    var json = io.wharf.model.codec.ResourceCodec.json();
    var credentials = new Credentials(token, List.of(), "127.0.0.1");
    var needed = List.of(new Permission(Verb.LIST, "Service", "default"));
    try (AuthCache cache = new AuthCache(store, json)) {
      cache.start();
      AuthRecords uncached = new AuthRecords(store, json);
      AuthRecords cached = new AuthRecords(store, json, cache);
      try (ApiTokens fromStore = new ApiTokens(uncached, InstantSource.system(), Duration.ofHours(1));
          ApiTokens fromCache = new ApiTokens(cached, InstantSource.system(), Duration.ofHours(1))) {
        Authorizer storeAuthorizer = new Authorizer(uncached);
        Authorizer cacheAuthorizer = new Authorizer(cached);
        long[] nanos = new long[2];
        long[] reads = new long[2];
        int block = 250;
        for (int round = -2; round < calls / block; round++) { // two rounds of warm-up
          for (int which = 0; which < 2; which++) {
            ApiTokens tokens = which == 0 ? fromStore : fromCache;
            Authorizer authorizer = which == 0 ? storeAuthorizer : cacheAuthorizer;
            long r0 = store.reads.sum();
            long t0 = System.nanoTime();
            for (int i = 0; i < block; i++) {
              authorizer.require(tokens.authenticate(credentials).orElseThrow(), needed);
            }
            if (round >= 0) {
              nanos[which] += System.nanoTime() - t0;
              reads[which] += store.reads.sum() - r0;
            }
          }
        }
        int measured = (calls / block) * block;
        System.out.printf("%s: authenticate + authorise alone, records read from the store: %8.2f us/call, %.2f reads/call%n",
            kind, nanos[0] / 1e3 / measured, reads[0] / (double) measured);
        System.out.printf("%s: authenticate + authorise alone, records read from the cache: %8.2f us/call, %.2f reads/call%n",
            kind, nanos[1] / 1e3 / measured, reads[1] / (double) measured);
      }
    }
  }

  private static String send(HttpClient http, URI base, String method, String path, String bearer, String body,
      int expect) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", bearer);
    b = body == null ? b.GET() : b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expect) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(nanos).average().orElse(0);
    System.out.printf("%-62s n=%5d  mean=%6.3f ms  p50=%6.3f ms  p99=%6.3f ms%n", what, sorted.length, mean / 1e6,
        sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6,
        sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
