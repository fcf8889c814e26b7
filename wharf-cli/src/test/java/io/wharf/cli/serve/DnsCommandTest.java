package io.wharf.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.CliRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options of {@code wharf dns} and {@code wharf dev --dns}: usage errors naming the option. */
class DnsCommandTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "--listen|127.0.0.1:abc|--listen: port 'abc' is not a number",
      "--listen|127.0.0.1:70000|--listen: port must be within 0..65535, got 70000",
      "--listen|[::1|--listen: '[::1' lacks the closing ']'",
      "--upstream|10.0.0.1:x|--upstream: port 'x' is not a number",
      "--ttl|5x|--ttl: '5x' is not a duration (e.g. 5s, 1m)",
      "--ttl|1500ms|--ttl: must be whole seconds, got 1500ms",
      "--zone|a..b|--zone: 'a..b' has an empty label",
      "--udp-threads|0|--udp-threads: must be within 1..64, got 0"})
  void aBadOptionIsAUsageErrorNamingIt(String option, String value, String message) {
    CliRun.Result result = new CliRun().address("http://127.0.0.1:1").run("dns", option, value);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: " + message + "\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:dns|--dns: port 'dns' is not a number",
      "127.0.0.1:-1|--dns: port must be within 0..65535, got -1"})
  void devRejectsABadDnsAddressBeforeStartingAnything(String value, String message) {
    CliRun.Result result = new CliRun().run("dev", "--port", "0", "--dns", value);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: " + message + "\n");
  }
}
