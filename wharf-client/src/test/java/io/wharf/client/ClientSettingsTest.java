package io.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientSettingsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://127.0.0.1:7070, http://127.0.0.1:7070",
      "http://127.0.0.1:7070/, http://127.0.0.1:7070",
      "127.0.0.1:9000, http://127.0.0.1:9000",
      "https://wharf.example:443, https://wharf.example:443",
  })
  void addressesAreNormalised(String given, String expected) {
    assertThat(ClientSettings.of(given).baseUrl()).hasToString(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "ftp://host:1 | server address must start with http:// or https://, got \"ftp://host:1\"",
      "http://  | not a server address: \"http://\"",
  })
  void badAddressesAreRejectedWithAReason(String given, String message) {
    assertThatThrownBy(() -> ClientSettings.of(given))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
