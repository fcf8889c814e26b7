package io.wharf.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain aligned table in the style of kubectl: upper-case headers, columns left-aligned and
 * separated by three spaces, no borders, no trailing spaces. Cells are single-line (line
 * breaks become spaces).
 */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(List<String> headers) {
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.headers = List.copyOf(headers);
  }

  public Table(String... headers) {
    this(List.of(headers));
  }

  public Table add(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, table has " + headers.size() + " columns");
    }
    rows.add(cells.stream().map(c -> Objects.requireNonNullElse(c, "")
        .replace('\n', ' ').replace('\r', ' ')).toList());
    return this;
  }

  public Table add(String... cells) {
    return add(List.of(cells));
  }

  public int size() {
    return rows.size();
  }

  /** The table as lines, each ending in a newline. */
  public String render() {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).codePointCount(0, row.get(i).length()));
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, width);
    rows.forEach(row -> line(out, row, width));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(width[i] - cell.codePointCount(0, cell.length()) + 3));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
