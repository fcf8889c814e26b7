package io.wharf.testkit.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EtcdClusterFixtureTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aThreeMemberClusterKeepsServingWithOneMemberKilledAndTheMemberRejoins() throws Exception {
    try (EtcdClusterFixture etcd = EtcdClusterFixture.started(3)) {
      assertThat(etcd.endpoints()).hasSize(3).doesNotHaveDuplicates();
      assertThat(etcd.hostPorts()).matches("127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
      put(etcd.endpoint(0), "k", "v1");

      etcd.kill(0);

      assertThat(etcd.isRunning(0)).isFalse();
      assertThatThrownBy(() -> post(etcd.endpoint(0), "/v3/kv/range", "{}")).isInstanceOf(ConnectException.class);
      put(etcd.endpoint(1), "k", "v2"); // two of three still make a quorum

      etcd.restart(0);

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(post(etcd.endpoint(0), "/v3/kv/range", "{\"key\":\"" + b64("k") + "\"}")).contains(b64("v2")));
    }
  }

  /** Puts, retrying while the cluster elects a leader (a busy machine makes that slow). */
  private void put(String endpoint, String key, String value) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(post(endpoint, "/v3/kv/put",
        "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}")).contains("header"));
  }

  private String post(String endpoint, String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
