package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client watch survives the server being killed with SIGKILL and started again on the same
 * port and data: it reconnects with {@code Last-Event-ID} and delivers every change once, in
 * revision order, with none lost across the gap.
 */
class WatchResumeTest {

  @TempDir
  Path dir;

  private static void putConfig(WharfClient api, String name) {
    ObjectNode config = api.newObject();
    config.put("kind", "Config");
    config.putObject("metadata").put("name", name).put("namespace", "default");
    config.putObject("spec").put("data", "content of " + name);
    api.put("configs", "default", name, config);
  }

  @Test
  void aWatchResumesAfterTheServerIsKilledAndRestarted() throws Exception {
    Path data = dir.resolve("data");
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    AtomicInteger reconnects = new AtomicInteger();
    DevServerProcess first = DevServerProcess.start(data);
    int port = first.port();
    try (WharfClient api = new WharfClient(ClientSettings.of(first.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
        WatchStream watch = api.watch(
            WatchRequest.of("configs").from(api.health().path("revision").asLong() + 1),
            new WatchListener() {
              @Override
              public void onEvent(WatchEvent event) {
                seen.add(event);
              }

              @Override
              public void onReconnecting(Throwable cause) {
                reconnects.incrementAndGet();
              }
            })) {
      for (int i = 0; i < 20; i++) {
        putConfig(api, "c" + i);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 20);

      first.kill();
      await().atMost(Duration.ofSeconds(30)).until(() -> reconnects.get() > 0);
      // The watch reconnects on its own (Last-Event-ID), before or after these writes land.
      try (DevServerProcess second = DevServerProcess.start(data, port)) {
        for (int i = 20; i < 40; i++) {
          putConfig(api, "c" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 40);

        assertThat(seen).extracting(e -> e.object().path("metadata").path("name").asText())
            .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "c" + i).toList());
        assertThat(seen).extracting(WatchEvent::revision).isSorted().doesNotHaveDuplicates();
        assertThat(watch.lastRevision()).isEqualTo(seen.getLast().revision());
      }
    } finally {
      first.close();
    }
  }
}
