package io.wharf.store.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL and checks that reopening the store finds every write
 * the child saw acknowledged. Several rounds on one directory, so recovery from a crash is
 * itself crashed into.
 */
class EmbeddedStoreCrashTest {
  /** Acknowledgements to wait for before each kill, varied so kills land at different points. */
  private static final int[] ACKS_BEFORE_KILL = {700, 2500, 1200, 4000, 300};
  private static final int WRITER_THREADS = 8;

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    Map<String, Long> acked = new LinkedHashMap<>();
    List<Long> leases = new ArrayList<>();
    for (int round = 0; round < ACKS_BEFORE_KILL.length; round++) {
      Process child = startWriter("r" + round);
      try {
        readAcks(child, ACKS_BEFORE_KILL[round], acked, leases);
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

      try (EmbeddedStore store = EmbeddedStore.open(dir)) {
        long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(store.revision()).isGreaterThanOrEqualTo(maxAcked);
        List<String> missing = new ArrayList<>();
        acked.forEach((key, rev) -> {
          KeyValue kv = store.get(key).orElse(null);
          if (kv == null || kv.modRevision() != rev || !new String(kv.value(), UTF_8).equals(key)) {
            missing.add(key + "@" + rev + " -> " + kv);
          }
        });
        assertThat(missing).as("acknowledged writes lost after round " + round).isEmpty();
        for (long lease : leases) {
          assertThat(store.keepAlive(new LeaseId(lease))).isEqualTo(Duration.ofMinutes(10));
        }
      }
    }
  }

  @Test
  void anAcknowledgedTenThousandOpTransactionSurvivesKillDashNineFromTheLogAlone() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path stderr = Files.createTempFile(dir.getParent(), "big-txn-writer", ".err");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        BigTxnWriter.class.getName(), dir.toString())
        .redirectError(stderr.toFile())
        .start();
    long revision;
    try {
      CompletableFuture<String> ack = CompletableFuture.supplyAsync(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
          return in.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      String line = ack.get(120, TimeUnit.SECONDS);
      assertThat(line).as(Files.readString(stderr)).startsWith("acked ");
      revision = Long.parseLong(line.substring("acked ".length()));
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    long logBytes;
    try (var files = Files.list(dir)) {
      logBytes = files.filter(f -> f.getFileName().toString().startsWith("wal-"))
          .mapToLong(f -> f.toFile().length()).sum();
    }
    assertThat(logBytes).as("the transaction is in the log, to be replayed").isGreaterThan(10_000_000L);

    try (EmbeddedStore store = EmbeddedStore.open(dir)) {
      List<KeyValue> kvs = store.range("/big/").kvs();
      assertThat(kvs).hasSize(EmbeddedStoreOptions.DEFAULT_MAX_TXN_OPS);
      assertThat(store.revision()).isEqualTo(revision);
      for (KeyValue kv : kvs) {
        int i = Integer.parseInt(kv.key().substring("/big/".length()));
        assertThat(kv.modRevision()).isEqualTo(revision);
        assertThat(kv.value()).isEqualTo(BigTxnWriter.value(i));
      }
    }
  }

  private Process startWriter(String run) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path stderr = Files.createTempFile(dir.getParent(), "crashing-writer", ".err");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashingWriter.class.getName(), dir.toString(), Integer.toString(WRITER_THREADS), run)
        .redirectError(stderr.toFile())
        .start();
  }

  /** Reads the child's acknowledgements until enough arrived; fails if it dies or stalls. */
  private static void readAcks(Process child, int wanted, Map<String, Long> acked,
      List<Long> leases) throws Exception {
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
        int puts = 0;
        String line;
        while (puts < wanted && (line = in.readLine()) != null) {
          String[] parts = line.split(" ");
          if (parts[0].equals("put")) {
            acked.put(parts[1], Long.parseLong(parts[2]));
            puts++;
          } else if (parts[0].equals("lease")) {
            leases.add(Long.parseLong(parts[1]));
          }
        }
        if (puts < wanted) {
          throw new AssertionError("writer exited early after " + puts + " acks");
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    reading.get(120, TimeUnit.SECONDS);
  }
}
