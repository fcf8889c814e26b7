package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.client.ClientSettings;
import io.wharf.client.ListOptions;
import io.wharf.client.ResourceClient;
import io.wharf.client.WharfClient;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import io.wharf.model.Metadata;
import io.wharf.model.Service;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, TLS, with real processes on loopback: {@code wharf server} (HTTPS by default, CA and
 * certificate made at first start), {@code wharf node join-token create}, a {@code wharf agent}
 * that joins with the token and then runs an instance over mutual TLS; spent, expired and garbage
 * tokens refused with their exact message; the CLI refusing a server its CA did not sign.
 */
class TlsJoinE2eTest {
  private static final Pattern TOKEN = Pattern.compile("Join token: (\\S+)");
  private static final Pattern HASH = Pattern.compile("CA hash: +(sha256:[0-9a-f]{64})");

  @TempDir
  Path dir;

  private DevServerProcess server;
  private Path ca;

  @BeforeEach
  void startServer() {
    server = DevServerProcess.command("server", "--data-dir", dir.resolve("server").toString(), "--port", "0",
        "--tls-san", "wharf.test");
    ca = dir.resolve("server/tls/ca.crt");
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  private CliProcess.Result cli(String... args) {
    return new CliProcess(server.address(), dir).run(args);
  }

  private record Token(String token, String hash) {}

  private Token createToken(String ttl) {
    CliProcess.Result created = cli("--ca-cert", ca.toString(), "node", "join-token", "create", "--ttl", ttl);
    assertThat(created.exitCode()).as(created.toString()).isZero();
    Matcher token = TOKEN.matcher(created.out());
    Matcher hash = HASH.matcher(created.out());
    assertThat(token.find() && hash.find()).as(created.out()).isTrue();
    return new Token(token.group(1), hash.group(1));
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void anAgentJoinsWithATokenAndRunsAnInstanceOverMutualTls() throws Exception {
    assertThat(server.address()).startsWith("https://127.0.0.1:");
    assertThat(server.output()).contains("CA: " + ca + " (sha256:");
    X509Certificate serverCert = CaCertificates.read(dir.resolve("server/tls/server.crt")).getFirst();
    assertThat(serverCert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
        .contains("127.0.0.1", "localhost", "wharf.test", java.net.InetAddress.getLocalHost().getHostName());
    assertThat(mode(dir.resolve("server/tls/server.key"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("server/tls"))).isEqualTo("rwx------");

    Token token = createToken("10m");
    Path agentData = dir.resolve("agent");
    try (AgentProcess agent = AgentProcess.withArgs("node-t", List.of("--server", server.address(), "--name", "node-t",
        "--data-dir", agentData.toString(), "--port", "0", "--join-token", token.token(),
        "--ca-cert-hash", token.hash()))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(agent.output())
          .contains("Joined the cluster as node node-t.", "Identity: node certificate "));
      X509Certificate nodeCert = CaCertificates.read(agentData.resolve("tls/node.crt")).getFirst();
      assertThat(nodeCert.getSubjectX500Principal().getName()).isEqualTo("CN=node-t,O=wharf-nodes");
      assertThat(Duration.between(Instant.now(), nodeCert.getNotAfter().toInstant())).isBetween(Duration.ofDays(29),
          Duration.ofDays(30));
      nodeCert.verify(CaCertificates.read(ca).getFirst().getPublicKey());
      assertThat(mode(agentData.resolve("tls/node.key"))).isEqualTo("rw-------");
      assertThat(Files.readString(agentData.resolve("tls/ca.crt"))).isEqualTo(Files.readString(ca));

      try (WharfClient anonymous = new WharfClient(ClientSettings.of(server.address())
          .withSslContext(TlsContexts.trusting(CaCertificates.read(ca))))) {
        // Neither a client certificate nor a token: refused.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.get("nodes", null, "node-t"))
            .hasMessage("401 unauthenticated: no credentials");
      }
      try (WharfClient client = new WharfClient(ClientSettings.of(server.address())
          .withSslContext(TlsContexts.trusting(CaCertificates.read(ca))).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
        new ResourceClient(client).put(new Service(Metadata.of("pinger", "default"), ServiceSpec.of(1,
            TaskSpec.main("main", new ProcessDriver(List.of("sh", "-c", "while :; do sleep 1; done"), List.of(), null)))));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          List<JsonNode> instances = client.listAll("instances", ListOptions.inNamespace("default"));
          return instances.size() == 1 && "running".equals(instances.getFirst().path("status").path("state").asText())
              && "node-t".equals(instances.getFirst().path("spec").path("node").asText());
        });
      }
    }

    // The agent comes back on its stored certificate: no token needed, none spent.
    try (AgentProcess again = AgentProcess.withArgs("node-t", List.of("--server", server.address(), "--name", "node-t",
        "--data-dir", agentData.toString(), "--port", "0"))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(again.output())
          .contains("Identity: node certificate "));
      assertThat(again.output()).doesNotContain("Joined");
    }

    CliProcess.Result reused = cli("agent", "--server", server.address(), "--name", "node-u", "--data-dir",
        dir.resolve("agent-u").toString(), "--port", "0", "--join-token", token.token(), "--ca-cert", ca.toString());
    assertThat(reused.exitCode()).as(reused.toString()).isEqualTo(1);
    assertThat(reused.err()).isEqualTo("error: cannot join the cluster: 401 unauthenticated: join token already used\n");
    assertThat(dir.resolve("agent-u/tls/node.key")).doesNotExist();
  }

  @Test
  void garbageAndExpiredTokensAreRefusedWithTheirReason() {
    CliProcess.Result garbage = cli("agent", "--server", server.address(), "--name", "node-g", "--data-dir",
        dir.resolve("agent-g").toString(), "--port", "0", "--join-token", "letmein", "--ca-cert", ca.toString());
    assertThat(garbage.exitCode()).as(garbage.toString()).isEqualTo(1);
    assertThat(garbage.err()).isEqualTo("error: cannot join the cluster: 401 unauthenticated: join token malformed "
        + "(expected ID.SECRET from wharf node join-token create)\n");

    Token token = createToken("1s");
    await().atMost(Duration.ofSeconds(10)).until(() -> cli("--ca-cert", ca.toString(), "node", "join-token", "ls")
        .out().lines().anyMatch(l -> l.startsWith(token.token().substring(0, 8)) && expired(l)));
    CliProcess.Result expired = cli("agent", "--server", server.address(), "--name", "node-e", "--data-dir",
        dir.resolve("agent-e").toString(), "--port", "0", "--join-token", token.token(), "--ca-cert-hash", token.hash());
    assertThat(expired.exitCode()).as(expired.toString()).isEqualTo(1);
    assertThat(expired.err()).isEqualTo("error: cannot join the cluster: 401 unauthenticated: join token expired\n");

    CliProcess.Result noToken = cli("agent", "--server", server.address(), "--name", "node-n", "--data-dir",
        dir.resolve("agent-n").toString(), "--port", "0");
    assertThat(noToken.exitCode()).as(noToken.toString()).isEqualTo(2);
    assertThat(noToken.err()).startsWith("error: this agent has no node certificate in " + dir.resolve("agent-n/tls")
        + ": join the cluster with --join-token TOKEN");
  }

  /** A {@code join-token ls} line whose EXPIRES column is in the past. */
  private static boolean expired(String line) {
    String[] cells = line.trim().split(" +");
    return Instant.parse(cells[2]).isBefore(Instant.now());
  }

  @Test
  void theCliTrustsOnlyTheClusterCa() throws Exception {
    Path wrong = dir.resolve("wrong-ca.crt");
    Files.writeString(wrong, Pem.certificate(CertificateAuthority.generate("impostor", Instant.now()).certificate()));

    CliProcess.Result untrusted = cli("--ca-cert", wrong.toString(), "get", "nodes");
    assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(1);
    assertThat(untrusted.err()).startsWith("error: server certificate not trusted: " + server.address() + ": ");

    CliProcess.Result none = cli("get", "nodes");
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(1);
    assertThat(none.err()).startsWith("error: server certificate not trusted: " + server.address() + ": it is not "
        + "signed by the trusted CA (give the cluster's CA with --ca-cert, WHARF_CACERT or \"caCertificate\" in "
        + "credentials.json)");

    CliProcess.Result trusted = cli("--ca-cert", ca.toString(), "get", "nodes");
    assertThat(trusted.exitCode()).as(trusted.toString()).isZero();

    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("credentials.json"), "{\"caCertificate\": \"" + ca + "\"}");
    ProcessBuilder withHome = new ProcessBuilder(commandLine("get", "nodes")).directory(dir.toFile());
    withHome.environment().put("WHARF_ADDR", server.address());
    withHome.environment().put("WHARF_HOME", home.toString());
    withHome.environment().put(io.wharf.testkit.auth.TestTokens.TOKEN_VARIABLE, io.wharf.testkit.auth.TestTokens.ADMIN);
    withHome.redirectErrorStream(true);
    Process p = withHome.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  private static List<String> commandLine(String... args) {
    List<String> command = new java.util.ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
    command.addAll(List.of(args));
    return command;
  }
}
