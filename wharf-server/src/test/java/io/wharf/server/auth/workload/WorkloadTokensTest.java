package io.wharf.server.auth.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Kind;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Principal;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workload tokens over a real control plane: who may get them, and that they die with their instance. */
class WorkloadTokensTest {
  @TempDir Path dir;
  ServerFixture fx;
  WorkloadTokens workloads;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(dir);
    workloads = fx.server.login().workloads();
    var created = fx.client.post("/v1/namespaces/default/instances",
        Samples.json(Samples.of(Kind.INSTANCE, "default", "web-1"))); // owner service web, node node-1
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private String token() {
    var outcome = workloads.issue(Principal.node("node-1"), "default", "web-1");
    assertThat(outcome).isInstanceOf(WorkloadTokens.Granted.class);
    return ((WorkloadTokens.Granted) outcome).token().token();
  }

  @Test
  void theAgentOfTheInstancesNodeGetsATokenForTheOwningService() {
    var outcome = (WorkloadTokens.Granted) workloads.issue(Principal.node("node-1"), "default", "web-1");
    assertThat(outcome.principal()).isEqualTo(Principal.service("default", "web"));
    assertThat(fx.server.login().authenticator().verify(outcome.token().token()))
        .isEqualTo(Principal.service("default", "web"));
  }

  @Test
  void otherNodesUsersAndServicesGetNone() {
    assertThat(workloads.issue(Principal.node("node-2"), "default", "web-1"))
        .isEqualTo(new WorkloadTokens.Forbidden("instance default/web-1 is not placed on node node-2"));
    assertThat(workloads.issue(Principal.user("alice"), "default", "web-1"))
        .isEqualTo(new WorkloadTokens.Forbidden("only the agent of the instance's node may ask for its token"));
    assertThat(workloads.issue(Principal.service("default", "web"), "default", "web-1"))
        .isInstanceOf(WorkloadTokens.Forbidden.class);
    assertThat(workloads.issue(Principal.node("node-1"), "default", "nope")).isEqualTo(new WorkloadTokens.NotFound());
  }

  @Test
  void aTokenIsRevokedWhenItsInstanceStopsAndAStoppedInstanceGetsNoNewOne() {
    String token = token();
    ApiClient.Response current = fx.client.get("/v1/namespaces/default/instances/web-1");
    ObjectNode stopped = (ObjectNode) current.json().deepCopy();
    stopped.withObjectProperty("status").put("state", "stopped");
    var put = fx.client.put("/v1/namespaces/default/instances/web-1/status", stopped.toString());
    assertThat(put.status()).as(put.text()).isEqualTo(200);

    assertThatThrownBy(() -> fx.server.login().authenticator().verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessage("token's instance has stopped");
    assertThat(workloads.issue(Principal.node("node-1"), "default", "web-1"))
        .isEqualTo(new WorkloadTokens.Ended("stopped"));
  }

  @Test
  void aTokenIsRevokedWhenItsInstanceIsDeleted() {
    String token = token();
    assertThat(fx.client.delete("/v1/namespaces/default/instances/web-1").status()).isEqualTo(200);
    assertThatThrownBy(() -> fx.server.login().authenticator().verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessage("token's instance has stopped");
  }
}
