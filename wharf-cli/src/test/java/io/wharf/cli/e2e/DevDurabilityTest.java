package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.client.ClientException;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code wharf dev} with SIGKILL while several clients are writing and checks, after a
 * restart on the same data directory, that every write the API acknowledged is there with
 * its content.
 */
class DevDurabilityTest {

  private static final int WRITERS = 4;
  private static final int ACKED_BEFORE_KILL = 150;

  @TempDir
  Path dir;

  private static ObjectNode config(WharfClient api, String name, String data) {
    ObjectNode object = api.newObject();
    object.put("kind", "Config");
    object.putObject("metadata").put("name", name).put("namespace", "default");
    object.putObject("spec").put("data", data);
    return object;
  }

  @Test
  void everyAcknowledgedWriteSurvivesAKillNine() throws Exception {
    Path data = dir.resolve("data");
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean killing = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    try (DevServerProcess dev = DevServerProcess.start(data);
        WharfClient api = new WharfClient(ClientSettings.of(URI.create(dev.address())).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; ; i++) {
            String name = "w" + writer + "-" + i;
            String content = "writer " + writer + " write " + i + " " + "x".repeat(i % 50);
            try {
              api.put("configs", "default", name, config(api, name, content));
              acknowledged.put(name, content);
            } catch (ClientException e) {
              if (!killing.get()) {
                failures.add(e.getMessage());
              }
              return; // the server is gone (or refused): stop writing
            }
          }
        }));
      }
      await().atMost(Duration.ofSeconds(60)).until(
          () -> acknowledged.size() >= ACKED_BEFORE_KILL || !failures.isEmpty());
      killing.set(true);
      dev.kill();
      for (Thread t : writers) {
        t.join(Duration.ofSeconds(30));
      }
    }
    assertThat(failures).as("writes refused while the server was up").isEmpty();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

    try (DevServerProcess dev = DevServerProcess.start(data);
        WharfClient api = new WharfClient(ClientSettings.of(URI.create(dev.address())).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
      Map<String, String> found = new ConcurrentHashMap<>();
      for (JsonNode c : api.listAll("configs", io.wharf.client.ListOptions.inNamespace("default"))) {
        found.put(c.path("metadata").path("name").asText(), c.path("spec").path("data").asText());
      }
      assertThat(found).containsAllEntriesOf(acknowledged);
      assertThat(dev.stop()).as("clean shutdown on SIGTERM").isIn(0, 143);
    }
  }
}
