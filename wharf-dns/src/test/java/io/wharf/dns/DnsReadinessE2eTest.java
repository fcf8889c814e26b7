package io.wharf.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.AgentSettings;
import io.wharf.agent.NodeAgent;
import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.dns.feed.ClusterFeed;
import io.wharf.server.ControlPlane;
import io.wharf.store.embedded.EmbeddedStore;
import io.wharf.testkit.dns.Dig;
import io.wharf.testkit.proc.MarkedProcesses;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a control plane on an embedded store, a node agent running real processes with
 * readiness checks, and a DNS server fed by {@link ClusterFeed}, asked with the real dig. An
 * instance's readiness check is steered by a file: while {@code unready-<instance>} exists the
 * check fails.
 */
class DnsReadinessE2eTest {

  @TempDir Path dir;

  private final String marker = "wharf-dns-test-" + UUID.randomUUID();
  private EmbeddedStore store;
  private ControlPlane server;
  private WharfClient client;
  private NodeAgent agent;
  private DnsServer dns;
  private ClusterFeed feed;
  private Dig dig;

  @BeforeEach
  void start() throws Exception {
    dig = Dig.against(1); // fails or aborts before anything starts when dig is missing
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN), store);
    client = new WharfClient(ClientSettings.of(server.apiAddress().toString()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    agent = NodeAgent.start((AgentSettings.of(server.apiAddress(), "node-a", dir.resolve("agent"))
        .stoppingWorkloadsOnClose()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN));
    dns = DnsServer.start(DnsConfig.defaults().withListen(new InetSocketAddress("127.0.0.1", 0)));
    feed = ClusterFeed.start(client, dns::update);
    assertThat(feed.awaitSynced(Duration.ofSeconds(20))).isTrue();
    dig = Dig.against(dns.address().getPort());
  }

  @AfterEach
  void stop() {
    if (feed != null) feed.close();
    if (dns != null) dns.close();
    if (agent != null) agent.close();
    if (client != null) client.close();
    if (server != null) server.close();
    if (store != null) store.close();
    MarkedProcesses.pids(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void aRecordDisappearsWhenItsInstanceTurnsUnreadyAndComesBack() throws Exception {
    Path flags = Files.createDirectories(dir.resolve("flags"));
    // No ports: a dynamic port another process on this machine holds would fail an instance.
    client.apply("""
        stack: dnstest
        namespace: default
        services:
          web:
            replicas: 2
            driver: process
            command: [sh, -c, "while :; do sleep 1; done # %s"]
            health:
              readiness:
                command: [sh, -c, "test ! -e %s/unready-$WHARF_INSTANCE_NAME"]
                interval: 200ms
                timeout: 200ms
                failureThreshold: 1
        """.formatted(marker, flags), WharfClient.YAML, OptionalLong.empty());
    await().atMost(Duration.ofSeconds(30)).until(() -> instanceNames().size() == 2);
    List<String> names = instanceNames();
    String instance = names.get(0);
    String other = names.get(1);
    String target = instance + ".web.default.wharf";
    String otherTarget = other + ".web.default.wharf";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(dig.query(target, "A").answer()).containsExactly(target + " A 127.0.0.1");
      assertThat(dig.query(otherTarget, "A").answer()).containsExactly(otherTarget + " A 127.0.0.1");
    });
    assertThat(dig.query("web.default.wharf", "A").answer()).containsExactly("web.default.wharf A 127.0.0.1");

    Files.createFile(flags.resolve("unready-" + instance));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dig.query(target, "A").status()).isEqualTo("NXDOMAIN"));
    assertThat(dig.query(otherTarget, "A").answer()).containsExactly(otherTarget + " A 127.0.0.1");
    assertThat(dig.query("web.default.wharf", "A").answer()).containsExactly("web.default.wharf A 127.0.0.1");

    Files.createFile(flags.resolve("unready-" + other));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Dig.Answer a = dig.query("web.default.wharf", "A");
      assertThat(a.status()).isEqualTo("NOERROR"); // the service exists: NODATA, not NXDOMAIN
      assertThat(a.answer()).isEmpty();
    });

    Files.delete(flags.resolve("unready-" + instance));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dig.query(target, "A").answer()).containsExactly(target + " A 127.0.0.1"));
    assertThat(dig.query("web.default.wharf", "A").answer()).containsExactly("web.default.wharf A 127.0.0.1");
    assertThat(dig.query(otherTarget, "A").status()).isEqualTo("NXDOMAIN");
  }

  private List<String> instanceNames() {
    return client.listAll("instances", io.wharf.client.ListOptions.inNamespace("default")).stream()
        .filter(i -> i.path("status").path("state").asText().equals("running"))
        .map(i -> i.path("metadata").path("name").asText()).sorted().toList();
  }

  @Test
  void aDeletedServiceBecomesNxdomain() {
    client.apply("""
        stack: gone
        namespace: default
        services:
          api:
            replicas: 1
            driver: process
            command: [sh, -c, "while :; do sleep 1; done # %s"]
        """.formatted(marker), WharfClient.YAML, OptionalLong.empty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(dig.query("api.default.wharf", "A").answer()).containsExactly("api.default.wharf A 127.0.0.1"));

    client.delete("services", "default", "api");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dig.query("api.default.wharf", "A").status()).isEqualTo("NXDOMAIN"));
  }

  @Test
  void anExternalEndpointIsAnsweredUntilItIsRemoved() {
    var discovery = new io.wharf.client.DiscoveryApi(client);
    discovery.add("default", "db-vm", "db", "127.0.0.77", java.util.Map.of("pg", 5432));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dig.query("db.default.wharf", "A").answer()).containsExactly("db.default.wharf A 127.0.0.77"));
    Dig.Answer srv = dig.query("_pg._tcp.db.default.wharf", "SRV");
    assertThat(srv.answer()).containsExactly("_pg._tcp.db.default.wharf SRV 0 1 5432 db-vm.db.default.wharf");
    assertThat(srv.additional()).containsExactly("db-vm.db.default.wharf A 127.0.0.77");

    discovery.remove("default", "db-vm");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(dig.query("db.default.wharf", "A").status()).isEqualTo("NXDOMAIN"));
  }
}
