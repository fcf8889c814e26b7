package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.registry.ResourceType;
import io.wharf.testkit.auth.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret values reach the workload and nothing else. A real {@code wharf dev} (its own process,
 * with its agent) runs a process task that takes one secret as a variable and one as a file and
 * prints only their SHA-256; users run the CLI (plan, apply, a changed value, get, describe,
 * events, ps, logs, a refused stack, key rotation) and the API is read every way (each kind,
 * the whole watch history, the audit log when the server has one). Then every byte produced —
 * the server's and agent's log output, each CLI output, each API answer, and every file in the
 * data directory but the secret files the agent wrote for the task — is searched for the values.
 */
class SecretsNeverLeakE2eTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final String NEW_PASSWORD = "pw-new-" + UUID.randomUUID();
  private static final String TOKEN = "tok-" + UUID.randomUUID();

  @TempDir Path dir;

  private static String stack(String password) {
    return """
        stack: vault
        namespace: default
        secrets:
          db-password: {value: "%s"}
          api-token: {value: "%s"}
        services:
          app:
            replicas: 1
            driver: process
            command: [sh, -c, 'echo "env=$(printf %%s "$DB_PASSWORD" | sha256sum | cut -c1-64) file=$(sha256sum < "$WHARF_SECRET_API_TOKEN" | cut -c1-64)"; exec sleep 600']
            secrets:
              - {name: db-password, env: DB_PASSWORD}
              - api-token
        """.formatted(password, TOKEN);
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void secretValuesAppearOnlyInTheWorkload() throws Exception {
    Path data = dir.resolve("data");
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("vault.yaml"), stack(PASSWORD));
    Files.writeString(work.resolve("vault-v2.yaml"), stack(NEW_PASSWORD));
    Files.writeString(work.resolve("bad.yaml"), stack(PASSWORD).replace("replicas: 1", "replicas: -1")
        .replace("api-token: {value:", "api-token: {bogus: 1, value:"));
    List<String> produced = new ArrayList<>();
    String devOutput;
    // Everything Wharf logs, DEBUG included, goes to the output searched below.
    Path logConfig = Files.writeString(dir.resolve("logback.xml"), """
        <configuration>
          <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
          </appender>
          <logger name="io.wharf" level="DEBUG"/>
          <root level="INFO"><appender-ref ref="ERR"/></root>
        </configuration>
        """);
    try (DevServerProcess dev = DevServerProcess.in(dir, List.of("-Dlogback.configurationFile=" + logConfig), "dev",
        "--port", "0", "--data-dir", data.toString(), "--dns", "off", "--gateway", "off")) {
      CliProcess wharf = new CliProcess(dev.address(), work);
      List<CliProcess.Result> runs = new ArrayList<>();
      runs.add(ok(wharf.run("plan", "-f", "vault.yaml")));
      runs.add(ok(wharf.run("apply", "-f", "vault.yaml", "--yes")));

      String seen = awaitLogLine(wharf, runs, "env=" + sha256(PASSWORD));
      assertThat(seen).isEqualTo("env=" + sha256(PASSWORD) + " file=" + sha256(TOKEN));

      runs.add(ok(wharf.run("plan", "-f", "vault-v2.yaml")));
      runs.add(ok(wharf.run("apply", "-f", "vault-v2.yaml", "--yes")));
      awaitLogLine(wharf, runs, "env=" + sha256(NEW_PASSWORD));
      CliProcess.Result refused = wharf.run("apply", "-f", "bad.yaml", "--yes");
      assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
      runs.add(refused);
      for (String format : List.of("table", "json", "yaml")) {
        runs.add(ok(wharf.run("get", "secrets", "-o", format)));
        runs.add(ok(wharf.run("get", "secret", "db-password", "-o", format)));
      }
      runs.add(ok(wharf.run("describe", "secret", "db-password")));
      runs.add(ok(wharf.run("describe", "service", "app")));
      runs.add(ok(wharf.run("get", "instances", "-o", "json")));
      runs.add(ok(wharf.run("events", "-o", "json")));
      runs.add(ok(wharf.run("events")));
      runs.add(ok(wharf.run("ps")));
      runs.add(ok(wharf.run("secret", "add-key", data.resolve("secrets.key").toString())));
      CliProcess.Result rotated = ok(wharf.run("secret", "rotate-key"));
      assertThat(rotated.out()).contains("re-sealed 2 secrets");
      runs.add(rotated);
      runs.add(ok(wharf.run("get", "secret", "db-password", "-o", "json")));
      runs.forEach(r -> produced.add(r.toString()));

      produced.addAll(apiAnswers(dev.address()));
      produced.addAll(dataFiles(data)); // while the workload runs: the agent's state of it, its log files
      try (Stream<Path> files = Files.walk(data.resolve("agent/instances"))) {
        Path tokenFile = files.filter(f -> f.endsWith("secrets/api-token")).findFirst().orElseThrow();
        assertThat(Files.readString(tokenFile)).isEqualTo(TOKEN); // the one place it may be: the task's file
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("r--------");
      }
      devOutput = dev.output();
      dev.stop();
      devOutput = dev.output();
    }
    produced.add(devOutput);
    assertThat(devOutput).contains("secrets are sealed with key k-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets.key"))))
        .isEqualTo("rw-------");
    produced.addAll(dataFiles(data));

    String everything = String.join("\n", produced);
    assertThat(everything).contains("<redacted>").contains("KeyRotated");
    for (String value : List.of(PASSWORD, NEW_PASSWORD, TOKEN)) {
      for (String text : produced) {
        assertThat(text).as("a secret value leaked into:\n%s", text.length() > 4000 ? text.substring(0, 4000) : text)
            .doesNotContain(value);
      }
    }
  }

  /**
   * Every file in the data directory but the secret files the agent gives the task (the workload
   * itself), each as its name and contents.
   */
  private static List<String> dataFiles(Path data) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (data.relativize(f).toString().matches("agent/instances/[^/]+/files/[^/]+/secrets/.*")) {
          continue;
        }
        try {
          out.add(f + ":\n" + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        } catch (java.nio.file.NoSuchFileException gone) {
          // removed while walking (an instance that ended)
        }
      }
    } catch (java.io.UncheckedIOException gone) {
      // a directory removed while walking
    }
    return out;
  }

  private static CliProcess.Result ok(CliProcess.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  /** Waits for the app's log to show {@code prefix}; the logs runs count as CLI output. */
  private static String awaitLogLine(CliProcess wharf, List<CliProcess.Result> runs, String prefix) {
    String[] line = new String[1];
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      CliProcess.Result logs = wharf.run("logs", "app");
      runs.add(logs);
      line[0] = logs.out().lines().filter(l -> l.contains(prefix)).findFirst().orElse(null);
      return line[0] != null;
    });
    return line[0].substring(line[0].indexOf("env="));
  }

  /** Every kind listed, each secret read, the whole watch history, and the audit log if there is one. */
  private static List<String> apiAnswers(String address) throws Exception {
    List<String> answers = new ArrayList<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (ResourceType type : ResourceType.ALL) {
        answers.add(get(http, address + "/v1/" + (type.clusterScoped() ? "" : "namespaces/default/") + type.plural()
            + "?limit=1000"));
      }
      answers.add(get(http, address + "/v1/namespaces/default/secrets/db-password"));
      answers.add(get(http, address + "/v1/audit"));
      // Read the history up to the newest object listed: the store's own revision may belong to a
      // write outside the resources (an audit entry, a token's last use) that the watch never shows.
      long revision = 0;
      for (String answer : answers) {
        for (var item : JSON.readTree(answer).path("items")) {
          revision = Math.max(revision, item.path("metadata").path("revision").asLong());
        }
      }
      assertThat(revision).as("the newest listed object's revision").isPositive();
      HttpResponse<InputStream> watch = http.send(authorized(address + "/v1/watch?fromRevision=1").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      StringBuilder history = new StringBuilder();
      try (InputStream in = watch.body()) {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        String l;
        while ((l = reader.readLine()) != null) {
          history.append(l).append('\n');
          assertThat(l).as("the watch history from revision 1").isNotEqualTo("event: compacted");
          if (l.startsWith("id: ") && Long.parseLong(l.substring(4).strip()) >= revision) {
            break;
          }
        }
      }
      assertThat(history).contains("\"kind\":\"Secret\"");
      answers.add(history.toString());
    }
    return answers;
  }

  private static String get(HttpClient http, String uri) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(authorized(uri).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && !uri.endsWith("/v1/audit")) { // the audit log, where the server has one
      throw new IllegalStateException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static HttpRequest.Builder authorized(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + TestTokens.ADMIN);
  }
}
