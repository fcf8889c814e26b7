package io.wharf.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadableBytesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "256Mi, 256Mi",
      "0, 0",
      "24421940Ki, 23.3Gi",
      "1500000, 1500K",
      "1500001, 1.4Mi",
      "not-a-size, not-a-size",
  })
  void memoryIsShownInUnitsPeopleRead(String quantity, String shown) {
    assertThat(NodeCommand.readableBytes(quantity)).isEqualTo(shown);
  }
}
