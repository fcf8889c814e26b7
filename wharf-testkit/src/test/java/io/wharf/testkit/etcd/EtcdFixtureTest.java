package io.wharf.testkit.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class EtcdFixtureTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startedEtcdAnswersOnItsLoopbackEndpoint() throws Exception {
    try (EtcdFixture etcd = EtcdFixture.started()) {
      assertThat(etcd.endpoint()).isEqualTo("http://127.0.0.1:" + etcd.clientPort());
      assertThat(etcd.clientPort()).isNotEqualTo(etcd.peerPort());
      assertThat(get(etcd, "/health")).contains("\"health\":\"true\"");
    }
  }

  @Test
  void killedEtcdRefusesConnectionsAndRestartKeepsCommittedData() throws Exception {
    try (EtcdFixture etcd = EtcdFixture.started()) {
      put(etcd, "k", "v1");
      int port = etcd.clientPort();

      etcd.kill();

      assertThat(etcd.isRunning()).isFalse();
      assertThatThrownBy(() -> get(etcd, "/health")).isInstanceOf(ConnectException.class);

      etcd.restart();

      assertThat(etcd.isRunning()).isTrue();
      assertThat(etcd.clientPort()).isEqualTo(port);
      assertThat(range(etcd, "k")).contains(b64("v1"));
    }
  }

  @Test
  void closeStopsEtcdAndDeletesItsDirectory() {
    EtcdFixture etcd = EtcdFixture.started();
    Path data = etcd.dataDir();
    assertThat(data).isDirectory();

    etcd.close();

    assertThat(etcd.isRunning()).isFalse();
    assertThat(Files.exists(data.getParent())).isFalse();
    assertThatThrownBy(etcd::restart).isInstanceOf(IllegalStateException.class)
        .hasMessage("etcd fixture is closed");
  }

  @Test
  void missingBinaryFailsWhenExternalProgramsAreRequired() {
    withProperties("/nonexistent/etcd", "true", () ->
        assertThatThrownBy(EtcdFixture::started).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("etcd not found")
            .hasMessageContaining("wharf.requireExternal=true so this is a failure"));
  }

  @Test
  void missingBinarySkipsTheTestOtherwise() {
    withProperties("/nonexistent/etcd", "false", () ->
        assertThatThrownBy(EtcdFixture::started).isInstanceOf(TestAbortedException.class)
            .hasMessageContaining("etcd not found"));
  }

  private static void withProperties(String binary, String requireExternal, Runnable body) {
    String oldBinary = System.getProperty(EtcdFixture.BINARY_PROPERTY);
    String oldRequire = System.getProperty("wharf.requireExternal");
    System.setProperty(EtcdFixture.BINARY_PROPERTY, binary);
    System.setProperty("wharf.requireExternal", requireExternal);
    try {
      body.run();
    } finally {
      restore(EtcdFixture.BINARY_PROPERTY, oldBinary);
      restore("wharf.requireExternal", oldRequire);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private String get(EtcdFixture etcd, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(etcd.endpoint() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  // etcd's JSON gateway (/v3/kv/...) takes base64 keys and values.
  private void put(EtcdFixture etcd, String key, String value) throws IOException, InterruptedException {
    post(etcd, "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
  }

  private String range(EtcdFixture etcd, String key) throws IOException, InterruptedException {
    return post(etcd, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}");
  }

  private String post(EtcdFixture etcd, String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(etcd.endpoint() + path))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
