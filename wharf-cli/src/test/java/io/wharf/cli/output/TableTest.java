package io.wharf.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAlignedToTheWidestCellWithoutTrailingSpaces() {
    String table = new Table("NAME", "NAMESPACE", "REPLICAS", "AGE")
        .add("web", "default", "3", "5m")
        .add("payments-api", "shop", "10", "2d")
        .render();

    assertThat(table).isEqualTo("""
        NAME           NAMESPACE   REPLICAS   AGE
        web            default     3          5m
        payments-api   shop        10         2d
        """);
  }

  @Test
  void lineBreaksInCellsDoNotBreakRows() {
    assertThat(new Table("A", "B").add("x\ny", "z").render()).isEqualTo("""
        A     B
        x y   z
        """);
  }

  @Test
  void aRowOfTheWrongWidthIsRejected() {
    assertThatThrownBy(() -> new Table("A", "B").add("only one"))
        .hasMessage("row has 1 cells, table has 2 columns");
  }
}
