package io.wharf.store.embedded;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.wharf.store.Txn;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A rough side-by-side gauge (the real benchmark lives in wharf-bench): puts per second from N
 * virtual threads against the embedded store and against a local etcd ({@code /usr/bin/etcd},
 * loopback, temp data dir), alternating so both see the same machine load.
 * {@code java -cp <test classpath> io.wharf.store.embedded.EtcdSideBySideThroughput [seconds] [threads...]}
 */
public final class EtcdSideBySideThroughput {
  private EtcdSideBySideThroughput() {}

  interface Putter {
    void put(String key, byte[] value) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] threadCounts = args.length > 1
        ? java.util.Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 16, 64};
    Path etcdDir = Files.createTempDirectory("wharf-etcd-gauge");
    int clientPort = freePort();
    int peerPort = freePort();
    Process etcd = new ProcessBuilder("/usr/bin/etcd", "--data-dir", etcdDir.toString(),
        "--listen-client-urls", "http://127.0.0.1:" + clientPort,
        "--advertise-client-urls", "http://127.0.0.1:" + clientPort,
        "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-cluster", "default=http://127.0.0.1:" + peerPort)
        .redirectErrorStream(true).redirectOutput(etcdDir.resolve("etcd.log").toFile()).start();
    Path storeDir = Files.createTempDirectory("wharf-store-gauge");
    try (Client client = Client.builder().endpoints("http://127.0.0.1:" + clientPort).build();
         EmbeddedStore store = EmbeddedStore.open(storeDir)) {
      KV kv = client.getKVClient();
      for (int attempt = 0; ; attempt++) {
        try {
          kv.put(bytes("/warmup"), bytes("x")).get(2, TimeUnit.SECONDS);
          break;
        } catch (Exception e) {
          if (attempt > 50) {
            throw e;
          }
        }
      }
      for (int threads : threadCounts) {
        long embedded = run(seconds, threads, (k, v) ->
            store.txn(Txn.of(List.of(), List.of(new Txn.Put(k, v)))));
        long etcdRate = run(seconds, threads, (k, v) ->
            kv.put(ByteSequence.from(k, StandardCharsets.UTF_8), ByteSequence.from(v)).get());
        System.out.printf("threads=%d embedded=%d/s etcd=%d/s ratio=%.2f%n",
            threads, embedded, etcdRate, embedded / (double) Math.max(1, etcdRate));
      }
    } finally {
      etcd.destroy();
      etcd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static long run(int seconds, int threads, Putter putter) throws Exception {
    LongAdder writes = new LongAdder();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(threads);
    byte[] value = new byte[256];
    for (int t = 0; t < threads; t++) {
      String prefix = "/gauge/" + t + "/";
      Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; System.nanoTime() < deadline; i++) {
            putter.put(prefix + (i % 1000), value);
            writes.increment();
          }
        } catch (Exception e) {
          e.printStackTrace();
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    return writes.sum() / seconds;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
