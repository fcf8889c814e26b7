package io.wharf.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.cli.ExitCode;
import io.wharf.cli.output.Terminal;
import io.wharf.client.WharfClient;
import io.wharf.model.codec.Decoded;
import io.wharf.model.stack.StackDocument;
import io.wharf.model.stack.StackFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackInputTest {

  @TempDir
  Path dir;

  private Environment environment(String stdin) {
    return new Environment(Map.of(),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
        Terminal.none(true), Clock.systemUTC(), dir);
  }

  @Test
  void aStackWithoutFileReferencesIsSentAsWritten() throws Exception {
    String text = "name: shop\nservices: {}\n";
    Files.writeString(dir.resolve("shop.yaml"), text);

    StackSource source = StackInput.read("shop.yaml", environment(""));

    assertThat(source).isEqualTo(new StackSource(text, WharfClient.YAML, "shop.yaml"));
  }

  @Test
  void fileReferencesAreReadRelativeToTheStackFile() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("stacks"));
    Files.writeString(sub.resolve("site.conf"), "listen 80\n");
    Files.writeString(sub.resolve("token.txt"), "hunter2");
    Files.writeString(sub.resolve("shop.yaml"), """
        stack: shop
        configs:
          site: {file: site.conf}
        secrets:
          token: {file: ./token.txt}
        """);

    StackSource source = StackInput.read("stacks/shop.yaml", environment(""));

    JsonNode sent = new ObjectMapper().readTree(source.text());
    assertThat(source.contentType()).isEqualTo(WharfClient.JSON);
    assertThat(sent.path("configs").path("site").path("data").asText()).isEqualTo("listen 80\n");
    assertThat(sent.path("configs").path("site").has("file")).isFalse();
    assertThat(sent.path("secrets").path("token").path("value").asText()).isEqualTo("hunter2");
  }

  @Test
  void theInlinedStackMeansToTheModelWhatTheYamlMeant() throws Exception {
    String stack = """
        stack: shop
        x-defaults: &defaults
          replicas: 010
        configs:
          site: {file: site.conf}
        secrets:
          token: {value: "t0k"}
        services:
          web:
            <<: *defaults
            command: busybox httpd -f
            env: {DEBUG: no, PORT: 8080, RATIO: 1.50, ON: true}
            health: {path: /, interval: 10s}
            ports: [{name: http, port: 8080}]
        """;
    Files.writeString(dir.resolve("site.conf"), "listen 80\n");
    Files.writeString(dir.resolve("shop.yaml"), stack);

    StackSource sent = StackInput.read("shop.yaml", environment(""));

    Decoded<StackDocument> fromJson = StackFile.parse(sent.text(), "shop.yaml");
    Decoded<StackDocument> fromYaml = StackFile.parse(
        stack.replace("{file: site.conf}", "{data: \"listen 80\\n\"}"), "shop.yaml");
    assertThat(fromJson.problems()).isEmpty();
    assertThat(fromJson.value()).isEqualTo(fromYaml.value());
  }

  @Test
  void aMissingReferencedFileIsAnInputProblemWithItsPath() throws Exception {
    Files.writeString(dir.resolve("shop.yaml"), "stack: shop\nconfigs:\n  site: {file: nope.conf}\n");

    assertThatThrownBy(() -> StackInput.read("shop.yaml", environment("")))
        .isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
          assertThat(e.getMessage()).isEqualTo("shop.yaml has 1 problem");
          assertThat(e.details()).containsExactly(
              "configs.site.file: no such file: " + dir.resolve("nope.conf"));
        });
  }

  @Test
  void dashReadsStdinAndJsonIsRecognised() {
    StackSource source = StackInput.read("-", environment("{\"name\":\"shop\"}"));

    assertThat(source).isEqualTo(
        new StackSource("{\"name\":\"shop\"}", WharfClient.JSON, "<stdin>"));
  }

  @Test
  void aMissingStackFileIsAUsageError() {
    assertThatThrownBy(() -> StackInput.read("nope.yaml", environment("")))
        .isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e.getMessage()).isEqualTo("no such file: nope.yaml");
        });
  }
}
