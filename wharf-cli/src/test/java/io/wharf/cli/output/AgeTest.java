package io.wharf.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
      "0, 0s", "45, 45s", "119, 119s", "120, 2m", "330, 5m30s", "600, 10m", "3600, 60m",
      "10800, 3h", "11000, 3h3m", "30000, 8h", "172800, 2d", "31536000, 365d", "63072000, 2y",
  })
  void agesAreShortLikeKubectls(long seconds, String expected) {
    assertThat(Age.of(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void aMissingOrBadTimestampIsUnknown() {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    assertThat(Age.since(null, now)).isEqualTo("<unknown>");
    assertThat(Age.since("yesterday", now)).isEqualTo("<unknown>");
    assertThat(Age.since("2026-11-22T09:59:00Z", now)).isEqualTo("60s");
  }
}
