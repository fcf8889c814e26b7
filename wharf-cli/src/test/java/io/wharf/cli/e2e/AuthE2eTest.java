package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.testkit.auth.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf dev} on an empty data directory, without a given bootstrap token: it prints a
 * random admin token once and writes {@code $WHARF_HOME/credentials.json} (0600), so the CLI on
 * the same machine works with no flag or variable; a restart prints no token. Then users, roles
 * and tokens through the CLI: a viewer reads and is refused writes, its token is revoked at once.
 */
class AuthE2eTest {
  private static final Pattern ADMIN_TOKEN = Pattern.compile("Admin token: (wharf_[A-Za-z0-9_-]+)");

  @TempDir Path dir;

  @Test
  void devBootstrapsOnceAndTheCliUsesItsCredentialsFile() throws Exception {
    Path home = dir.resolve("home");
    Map<String, String> env = new HashMap<>();
    env.put(TestTokens.BOOTSTRAP_VARIABLE, null);
    env.put(TestTokens.TOKEN_VARIABLE, null);
    env.put("WHARF_HOME", home.toString());
    Path work = Files.createDirectories(dir.resolve("work"));
    Path data = dir.resolve("data");
    String token;
    int port;
    try (DevServerProcess dev = DevServerProcess.command(env, "dev", "--port", "0", "--data-dir", data.toString(),
        "--dns", "off", "--gateway", "off")) {
      port = dev.port();
      org.awaitility.Awaitility.await().until(() -> dev.output().contains("\nDNS: "));
      Matcher m = ADMIN_TOKEN.matcher(dev.output());
      assertThat(m.find()).as(dev.output()).isTrue();
      token = m.group(1);
      Path credentials = home.resolve("credentials.json");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
      JsonNode saved = new ObjectMapper().readTree(credentials.toFile());
      assertThat(saved.path("address").asText()).isEqualTo(dev.address());
      assertThat(saved.path("token").asText()).isEqualTo(token);

      CliProcess wharf = new CliProcess(null, work, env); // no --addr, no WHARF_ADDR, no token: the file's
      CliProcess.Result whoami = wharf.run("policy", "show");
      assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
      assertThat(whoami.out()).startsWith("Principal: user:admin\nRoles: admin\n");

      CliProcess.Result created = wharf.run("user", "create", "alice", "--role", "viewer");
      assertThat(created.out()).as(created.toString()).isEqualTo("Created user:alice.\n");
      CliProcess.Result aliceToken = wharf.run("token", "create", "--principal", "alice", "--expires", "1h",
          "--description", "alice laptop");
      assertThat(aliceToken.exitCode()).as(aliceToken.toString()).isZero();
      String alice = aliceToken.out().strip();
      assertThat(alice).startsWith("wharf_");
      assertThat(aliceToken.err()).contains("It is shown this once");

      Map<String, String> asAlice = new HashMap<>(env);
      asAlice.put(TestTokens.TOKEN_VARIABLE, alice);
      CliProcess alices = new CliProcess(dev.address(), work, asAlice);
      assertThat(alices.run("get", "services").exitCode()).isZero();
      CliProcess.Result refused = alices.run("delete", "service", "nothing-here");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).startsWith("error: user:alice may not delete Service in namespace default\n");

      CliProcess.Result listed = wharf.run("token", "ls", "--principal", "alice");
      assertThat(listed.out()).as(listed.toString()).contains("user:alice", "alice laptop", "active")
          .doesNotContain(alice);
      String id = listed.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
      assertThat(wharf.run("token", "revoke", id).out()).isEqualTo("Revoked token " + id + " of user:alice.\n");
      CliProcess.Result afterRevoke = alices.run("get", "services");
      assertThat(afterRevoke.exitCode()).isEqualTo(1);
      assertThat(afterRevoke.err()).startsWith("error: not authenticated: token revoked\n");

      CliProcess anonymous = new CliProcess(dev.address(), work, Map.of(TestTokens.TOKEN_VARIABLE, "",
          TestTokens.BOOTSTRAP_VARIABLE, "", "WHARF_HOME", dir.resolve("nowhere").toString()));
      assertThat(anonymous.run("get", "services").err()).startsWith("error: not authenticated: no credentials\n");
    }
    try (DevServerProcess again = DevServerProcess.command(env, "dev", "--port", Integer.toString(port), "--data-dir",
        data.toString(), "--dns", "off", "--gateway", "off")) {
      // the token line would come before the DNS line
      org.awaitility.Awaitility.await().until(() -> again.output().contains("\nDNS: "));
      assertThat(again.output()).doesNotContain("Admin token").doesNotContain(token);
      CliProcess wharf = new CliProcess(null, work, env);
      assertThat(wharf.run("get", "services").exitCode()).isZero();
    }
  }
}
