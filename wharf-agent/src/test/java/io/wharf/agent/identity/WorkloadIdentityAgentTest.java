package io.wharf.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.agent.Workloads;
import io.wharf.client.ClientSettings;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.AuthenticationException;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.workload.WorkloadTokens;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent running a real process against a real control plane: the process finds its
 * service's token in WHARF_TOKEN and WHARF_TOKEN_FILE, the server accepts it as the service, and
 * stops accepting it when the instance goes. Until agents authenticate as node principals (the
 * tls lane), the agent's token source calls the server's {@link WorkloadTokens} as its node.
 */
class WorkloadIdentityAgentTest {
  @TempDir Path dir;
  EmbeddedStore store;
  ControlPlane server;
  WharfClient client;
  NodeAgent agent;
  final String marker = "wharf-test-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
    client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    WorkloadIdentity.TokenSource asNode = (ns, name) -> switch (server.login().workloads()
        .issue(Principal.node("node-a"), ns, name)) {
      case WorkloadTokens.Granted g -> new WorkloadIdentity.Issued(
          new WorkloadIdentity.Token(g.token().token(), g.token().expiresAt()));
      case WorkloadTokens.NotFound n -> new WorkloadIdentity.NoToken("not found");
      case WorkloadTokens.Ended e -> new WorkloadIdentity.NoToken(e.state());
      case WorkloadTokens.Forbidden f -> new WorkloadIdentity.Refused(f.reason());
    };
    agent = NodeAgent.start(AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent"))
        .stoppingWorkloadsOnClose().withToken(io.wharf.testkit.auth.TestTokens.ADMIN), asNode);
    await().atMost(Duration.ofSeconds(20)).until(agent::ready);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    client.close();
    server.close();
    store.close();
    Workloads.pidsWith(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void aProcessGetsItsServicesTokenWhichDiesWithItsInstance() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    new ResourceClient(client).put(Workloads.service("web", 1, "cat \"$WHARF_TOKEN_FILE\" > " + out
        + "/file.tmp && mv " + out + "/file.tmp " + out + "/file; printf %s \"$WHARF_TOKEN\" > " + out
        + "/env.tmp && mv " + out + "/env.tmp " + out + "/env; ls -l \"$WHARF_TOKEN_FILE\" > " + out
        + "/mode.tmp && mv " + out + "/mode.tmp " + out + "/mode; while :; do sleep 1; done # " + marker));
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out.resolve("file"))
        && Files.exists(out.resolve("env")) && Files.exists(out.resolve("mode")));

    String token = Files.readString(out.resolve("env"));
    assertThat(Files.readString(out.resolve("file"))).isEqualTo(token);
    assertThat(Files.readString(out.resolve("mode"))).startsWith("-r--------");
    assertThat(server.login().authenticator().verify(token)).isEqualTo(Principal.service("default", "web"));

    assertThat(client.delete("services", "default", "web")).isNotNull();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
        () -> server.login().authenticator().verify(token))
        .isInstanceOf(AuthenticationException.class).hasMessage("token's instance has stopped"));
    await().atMost(Duration.ofSeconds(30)).until(() -> tokenFiles().isEmpty());
  }

  private java.util.List<Path> tokenFiles() throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("agent"))) {
      return files.filter(p -> p.getFileName().toString().equals("token")).toList();
    }
  }
}
