package io.wharf.scheduler.feasible;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintsMetTest {
  /** {@code actual} empty in the table means the node lacks the attribute. */
  @ParameterizedTest(name = "{0}: {1} {2} {3} on {4} -> {5}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      equal                         | zone   | ==      | eu          | eu        | true
      equal differs                 | zone   | ==      | eu          | us        | false
      equal missing                 | zone   | ==      | eu          | NULL      | false
      not equal                     | zone   | !=      | eu          | us        | true
      not equal same                | zone   | !=      | eu          | eu        | false
      not equal missing holds       | zone   | !=      | eu          | NULL      | true
      regex whole value             | zone   | =~      | eu-.*       | eu-west   | true
      regex is anchored             | zone   | =~      | eu          | eu-west   | false
      regex missing                 | zone   | =~      | .*          | NULL      | false
      regex that does not compile   | zone   | =~      | (           | (         | false
      in                            | zone   | in      | eu, us      | us        | true
      in outside                    | zone   | in      | eu,us       | ap        | false
      in missing                    | zone   | in      | eu,us       | NULL      | false
      not-in                        | zone   | not-in  | eu,us       | ap        | true
      not-in inside                 | zone   | not-in  | eu, us      | us        | false
      not-in missing holds          | zone   | not-in  | eu,us       | NULL      | true
      exists                        | gpu    | exists  | NULL        | nvidia    | true
      exists missing                | gpu    | exists  | NULL        | NULL      | false
      version numeric per part      | kernel | >       | 1.9         | 1.10      | true
      version not lexical           | kernel | <       | 1.10        | 1.9       | true
      version leading v             | kernel | >=      | v2.0        | 2         | true
      version equal padded          | kernel | <=      | 1.2.0       | v1.2      | true
      version equal is not greater  | kernel | >       | 1.2         | 1.2.0     | false
      version less                  | kernel | <       | 5.15        | 6.1.0     | false
      version huge part             | kernel | >       | 1.99999999999999999999 | 1.100000000000000000000 | true
      version suffix not a version  | kernel | >=      | 1.0         | 1.2-rc1   | false
      version bound not a version   | kernel | >=      | latest      | 1.2       | false
      version missing               | kernel | >=      | 1.0         | NULL      | false
      """)
  void everyOperatorHoldsAsDocumented(String name, String label, String operator, String value, String actual,
      boolean holds) {
    var c = new Constraint("node.labels." + label, ConstraintOperator.parse(operator).orElseThrow(), value);
    assertThat(ConstraintsMet.holds(c, actual)).as(name).isEqualTo(holds);
  }
}
