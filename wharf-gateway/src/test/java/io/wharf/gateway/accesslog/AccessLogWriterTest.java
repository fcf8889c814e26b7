package io.wharf.gateway.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

  private static AccessLogEntry entry(String uri, long nanos) {
    return new AccessLogEntry(1_765_055_957_123L, "127.0.0.1", "GET", uri, 200, nanos, "default/web",
        "10.0.0.5:8080", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void linesAreFormattedAndAllWrittenByClose() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter writer = AccessLogWriter.start(out, 16, Duration.ofSeconds(10));
    writer.log(entry("/a", 412_345));
    writer.log(entry("/b?x=1", 12_000_000));

    writer.close();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
        2025-12-06T21:19:17.123Z 127.0.0.1 "GET /a" 200 0.412ms route=default/web upstream=10.0.0.5:8080 \
        trace=4bf92f3577b34da6a3ce929d0e0e4736
        2025-12-06T21:19:17.123Z 127.0.0.1 "GET /b?x=1" 200 12.000ms route=default/web upstream=10.0.0.5:8080 \
        trace=4bf92f3577b34da6a3ce929d0e0e4736
        """);
    assertThat(writer.dropped()).isZero();
  }

  @Test
  void fullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck = new OutputStream() { // a terminal or disk that stopped taking output
      @Override
      public void write(int b) {
        written.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        written.write(b, off, len);
      }
    };
    AccessLogWriter writer = AccessLogWriter.start(stuck, 2, Duration.ofMillis(1));
    writer.log(entry("/first", 1_000));
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds /first and is stuck

    for (int i = 0; i < 5; i++) {
      writer.log(entry("/more-" + i, 1_000));
    }

    assertThat(writer.dropped()).isEqualTo(3);
    release.countDown();
    writer.close();
    assertThat(written.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[3]))
        .containsExactly("/first\"", "/more-0\"", "/more-1\"");
  }
}
