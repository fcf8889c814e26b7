package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceClientTest {

  private static final String WEB = """
      {"kind":"Service","metadata":{"name":"web","namespace":"default","revision":42,
        "createdAt":"2026-11-22T10:00:00Z","updatedAt":"2026-11-22T10:00:00Z"},
       "spec":{"replicas":2,"tasks":[{"name":"web","driver":"process","command":["httpd"]}]},
       "status":{}}""";

  @Test
  void anObjectComesBackAsTheModelsRecord() {
    try (FakeApiServer server = FakeApiServer.answering(200, WEB);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Resource web = new ResourceClient(client).get(Kind.SERVICE, "default", "web");

      assertThat(web).isInstanceOfSatisfying(Service.class, s -> {
        assertThat(s.metadata().revision()).isEqualTo(42);
        assertThat(s.spec().replicas()).isEqualTo(2);
        assertThat(s.spec().mainTask().orElseThrow().driver())
            .isEqualTo(new ProcessDriver(List.of("httpd"), List.of(), null));
      });
    }
  }

  @Test
  void putSendsTheCodecsFormToTheObjectsPath() {
    try (FakeApiServer server = FakeApiServer.answering(200, WEB);
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      Service web = new Service(Metadata.of("web", "default"), ServiceSpec.of(2,
          TaskSpec.main("web", new ProcessDriver(List.of("httpd"), List.of(), null))), null);

      new ResourceClient(client).put(web);

      assertThat(server.requests()).singleElement().satisfies(r -> {
        assertThat(r.method() + " " + r.path())
            .isEqualTo("PUT /v1/namespaces/default/services/web");
        assertThat(r.body()).contains("\"kind\":\"Service\"", "\"replicas\":2");
      });
    }
  }

  @Test
  void anAnswerThatDoesNotDecodeIsAClientExceptionWithItsProblems() {
    try (FakeApiServer server = FakeApiServer.answering(200,
        "{\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":-1}}");
        WharfClient client = new WharfClient(ClientSettings.of(server.address()))) {
      assertThatThrownBy(() -> new ResourceClient(client).get(Kind.SERVICE, "default", "web"))
          .isExactlyInstanceOf(ClientException.class)
          .hasMessageStartingWith("the server's Service does not decode: [spec.");
    }
  }
}
