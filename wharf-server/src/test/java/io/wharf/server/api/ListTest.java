package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListTest {
  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(dir);
    api = fx.client;
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private void create(String ns, String name, Map<String, String> labels) {
    var r = api.post("/v1/namespaces/" + ns + "/services", Samples.withLabels(Samples.service(ns, name, 1), labels));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  @Test
  void pagesCoverEveryObjectOnceInNameOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String name = String.format("svc-%02d", i);
      create("default", name, Map.of());
      expected.add(name);
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      var page = api.get("/v1/namespaces/default/services?limit=10" + (token == null ? "" : "&continue=" + token));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().path("items").size()).isLessThanOrEqualTo(10);
      assertThat(page.json().path("revision").asLong()).isPositive();
      seen.addAll(names(page.json()));
      token = page.json().path("continue").isNull() ? null : page.json().path("continue").asText();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void labelSelectorsFilter() {
    create("default", "web", Map.of("tier", "front", "app", "shop"));
    create("default", "api", Map.of("tier", "back", "app", "shop"));
    create("default", "db", Map.of("tier", "back"));
    assertThat(names(api.get("/v1/namespaces/default/services?labels=tier=back").json())).containsExactly("api", "db");
    assertThat(names(api.get("/v1/namespaces/default/services?labels=tier=back,app=shop").json())).containsExactly("api");
    assertThat(names(api.get("/v1/namespaces/default/services?labels=tier!=back").json())).containsExactly("web");
    assertThat(names(api.get("/v1/namespaces/default/services?labels=app").json())).containsExactly("api", "web");
    assertThat(names(api.get("/v1/namespaces/default/services?labels=!app").json())).containsExactly("db");
  }

  @Test
  void filteredListsStillPage() {
    for (int i = 0; i < 12; i++) {
      create("default", String.format("svc-%02d", i), Map.of("even", i % 2 == 0 ? "yes" : "no"));
    }
    var first = api.get("/v1/namespaces/default/services?labels=even=yes&limit=4");
    assertThat(names(first.json())).containsExactly("svc-00", "svc-02", "svc-04", "svc-06");
    var second = api.get("/v1/namespaces/default/services?labels=even=yes&limit=4&continue="
        + first.json().path("continue").asText());
    assertThat(names(second.json())).containsExactly("svc-08", "svc-10");
  }

  @Test
  void namespaceFilterAndAllNamespaces() {
    create("a", "one", Map.of());
    create("b", "two", Map.of());
    create("b", "three", Map.of());
    assertThat(names(api.get("/v1/services").json())).containsExactly("one", "three", "two");
    assertThat(names(api.get("/v1/services?namespace=b").json())).containsExactly("three", "two");
    assertThat(names(api.get("/v1/namespaces/a/services").json())).containsExactly("one");
  }
}
