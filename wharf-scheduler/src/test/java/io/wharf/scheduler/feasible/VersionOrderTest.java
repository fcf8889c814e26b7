package io.wharf.scheduler.feasible;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionOrderTest {
  /** {@code order}: -1 older, 0 equal, 1 newer, x not versions. */
  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      1.10     | 1.9      | 1
      1.9      | 1.10     | -1
      v1.2     | 1.2.0    | 0
      V2       | v2.0.0   | 0
      1.02     | 1.2      | 0
      0.9.9    | 1        | -1
      10       | 9.99     | 1
      1.100000000000000000000 | 1.99999999999999999999 | 1
      1.2-rc1  | 1.2      | x
      1..2     | 1.2      | x
      1.2.     | 1.2      | x
      v        | 1        | x
      latest   | 1        | x
      1.2      | ''       | x
      """)
  void versionsCompareNumericallyPerDottedPart(String a, String b, String order) {
    int c = VersionOrder.compare(a, b);
    if (order.equals("x")) {
      assertThat(c).isEqualTo(VersionOrder.NOT_VERSIONS);
    } else {
      assertThat(Integer.signum(c)).isEqualTo(Integer.parseInt(order));
    }
  }
}
