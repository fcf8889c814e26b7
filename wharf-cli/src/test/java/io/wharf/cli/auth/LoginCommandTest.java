package io.wharf.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.cli.CliRun;
import io.wharf.server.ControlPlane;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.login.LoginAssembly;
import io.wharf.server.auth.login.Totp;
import io.wharf.store.Store;
import io.wharf.store.embedded.EmbeddedStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf user passwd|totp}, {@code wharf login} and {@code wharf auth} against a real control plane. */
class LoginCommandTest {
  @TempDir Path dir;
  Store store;
  ControlPlane server;
  Path home;

  @BeforeEach
  void start() throws Exception {
    store = EmbeddedStore.open(dir.resolve("store"));
    server = ControlPlane.start(new ControlPlane.Settings("127.0.0.1", 0, "embedded").withBootstrapToken(io.wharf.testkit.auth.TestTokens.ADMIN)
        .withLogin(new LoginAssembly.Settings(Duration.ofHours(1), Duration.ofHours(12), 1_000)), store,
        ControlPlane.Tuning.DEFAULTS.withControllers(false));
    home = dir.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("credentials.json"), "{\"caCertificate\": \"-----BEGIN CERTIFICATE-----\"}");
    assertThat(cli().run("user", "create", "alice").exitCode()).isZero();
    CliRun.Result set = cli().stdin("alice-password\n").run("user", "passwd", "alice", "--password-stdin");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("Password of alice set.\n");
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private CliRun cli() {
    return new CliRun().address(server.apiAddress().toString()).variable("WHARF_HOME", home.toString())
        .token(io.wharf.testkit.auth.TestTokens.ADMIN);
  }

  @Test
  void loginSavesTheTokenInTheCredentialsFileKeepingItsOtherFields() throws Exception {
    CliRun.Result r = cli().stdin("alice-password\n").run("login", "--user", "alice", "--password-stdin");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path file = home.resolve("credentials.json");
    assertThat(r.out()).startsWith("Logged in as user:alice until ").endsWith("; token saved in " + file + ".\n");
    JsonNode saved = new ObjectMapper().readTree(file.toFile());
    assertThat(saved.path("caCertificate").asText()).isEqualTo("-----BEGIN CERTIFICATE-----");
    assertThat(server.login().authenticator().verify(saved.path("token").asText())).isEqualTo(Principal.user("alice"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aRefusedLoginSaysSoWithoutSayingWhatWasWrong() {
    CliRun.Result r = cli().stdin("nope-nope\n").run("login", "--user", "alice", "--password-stdin");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: login refused: wrong user name, password or code\n");
  }

  @Test
  void withoutATerminalTheUserAndPasswordMustBeGiven() {
    CliRun.Result r = cli().run("login");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: no user name: pass --user (there is no terminal to ask on)\n");
  }

  @Test
  void onATerminalItAsksForUserPasswordAndCode() {
    CliRun.Result enrol = cli().run("user", "totp", "enrol", "alice");
    assertThat(enrol.exitCode()).as(enrol.err()).isZero();
    String secret = enrol.out().lines().filter(l -> l.startsWith("Secret: ")).findFirst().orElseThrow().substring(8);
    assertThat(enrol.out()).contains("URI:    otpauth://totp/Wharf:alice?secret=" + secret);

    CliRun.Result r = cli().answeringWith(question -> switch (question) {
      case "User: " -> "alice";
      case "Password for alice: " -> "alice-password";
      case "TOTP code (empty if you have none): " -> Totp.code(secret, Totp.step(Instant.now()));
      default -> throw new AssertionError("unexpected question " + question);
    }).run("login");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Logged in as user:alice");
  }

  @Test
  void passwdOnATerminalAsksTwiceAndRefusesAMismatch() {
    CliRun.Result r = cli().answeringWith(q -> q.startsWith("New") ? "first-password" : "other-password")
        .run("user", "passwd", "bob");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("error: the passwords do not match; nothing was changed\n");
  }

  @Test
  void rotateKeysPrintsTheNewKidWhichTheJwksThenLists() {
    CliRun.Result r = cli().run("auth", "rotate-keys");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String kid = r.out().substring("New signing key ".length(), r.out().indexOf(';'));
    assertThat(r.out()).endsWith("; tokens signed by the previous key stay valid for up to 12h.\n");
    CliRun.Result jwks = cli().run("auth", "jwks");
    assertThat(jwks.out()).contains("\"kid\" : \"" + kid + "\"").doesNotContain("\"d\"");
  }

  @Test
  void serverTokenLifetimeFlagsAreCheckedAgainstEachOther() {
    CliRun.Result over = new CliRun().run("server", "--token-ttl", "13h", "--port", "0");
    assertThat(over.exitCode()).isEqualTo(2);
    assertThat(over.err()).isEqualTo("error: --token-ttl/--token-max-ttl: token lifetime 13h is over the cap 12h\n");
    CliRun.Result bad = new CliRun().run("server", "--token-max-ttl", "forever", "--port", "0");
    assertThat(bad.err()).isEqualTo("error: --token-max-ttl must be a duration like 12h, got \"forever\"\n");
  }
}
