package io.wharf.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.client.ClientSettings;
import io.wharf.client.WharfClient;
import io.wharf.testkit.dns.Dig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf dev --dns} and {@code wharf dns --server} as processes, asked with the real dig:
 * both answer for a service the dev agent runs.
 */
class DnsCommandE2eTest {

  private static final Pattern DNS_LINE = Pattern.compile("(?m)^DNS: 127\\.0\\.0\\.1:(\\d+) zone wharf$");

  @TempDir
  Path dir;

  @Test
  void devServesDnsAndAStandaloneDnsServerFollowsTheSameCluster() throws Exception {
    Dig.against(1); // fails or aborts at once when dig is missing
    String marker = "wharf-dns-cli-" + UUID.randomUUID();
    try (var dev = DevServerProcess.command("dev", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--dns", "127.0.0.1:0")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> DNS_LINE.matcher(dev.output()).find());
      Matcher devDns = DNS_LINE.matcher(dev.output());
      assertThat(devDns.find()).isTrue();
      Dig viaDev = Dig.against(Integer.parseInt(devDns.group(1)));
      try (WharfClient api = new WharfClient(ClientSettings.of(dev.address()).withToken(io.wharf.testkit.auth.TestTokens.ADMIN))) {
        api.apply("""
            stack: dns
            namespace: default
            services:
              hello:
                replicas: 1
                driver: process
                command: [sh, -c, "while :; do sleep 1; done # %s"]
                ports:
                  - {name: http, port: %d}
            """.formatted(marker, io.wharf.testkit.net.LoopbackPorts.free()), WharfClient.YAML, OptionalLong.empty());
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(viaDev.query("hello.default.wharf", "A").answer()).containsExactly("hello.default.wharf A 127.0.0.1"));

      List<String> command = new ArrayList<>(JavaCommand.of("io.wharf.cli.Main"));
      command.addAll(List.of("dns", "--server", dev.address(), "--listen", "127.0.0.1:0", "--ttl", "2s"));
      Process dns = JavaCommand.environment(new ProcessBuilder(command)).redirectErrorStream(true).start();
      StringBuffer output = new StringBuffer();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(dns.getInputStream(), StandardCharsets.UTF_8))) {
          in.lines().forEach(line -> output.append(line).append('\n'));
        } catch (IOException ignored) {
          // the process ended
        }
      });
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> DNS_LINE.matcher(output).find());
        Matcher standalone = DNS_LINE.matcher(output);
        assertThat(standalone.find()).isTrue();
        Dig viaDns = Dig.against(Integer.parseInt(standalone.group(1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          Dig.Answer a = viaDns.query("_http._tcp.hello.default.wharf", "SRV");
          assertThat(a.answer()).singleElement().asString().startsWith("_http._tcp.hello.default.wharf SRV 0 1 ");
          assertThat(a.answerTtls()).containsExactly(2);
        });
        assertThat(viaDns.query("example.com", "A").status()).isEqualTo("REFUSED");
      } finally {
        dns.destroy();
        assertThat(dns.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as(output::toString).isTrue();
      }
      assertThat(dev.stop()).isIn(0, 143);
    }
  }
}
