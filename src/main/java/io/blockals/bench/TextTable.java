package io.blockals.bench;

import java.util.ArrayList;
import java.util.List;

/** A table of strings printed either aligned for a terminal or as a GitHub Markdown table. */
public final class TextTable {
  private final List<String> headers;
  private final int labelColumns;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table whose first column is a label (left-aligned) and whose other columns are numbers. */
  public TextTable(List<String> headers) {
    this(headers, 1);
  }

  /**
   * @param headers the column names
   * @param labelColumns how many leading columns hold labels (left-aligned); the rest hold numbers (right-aligned)
   */
  public TextTable(List<String> headers, int labelColumns) {
    if (headers.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    if (labelColumns < 0 || labelColumns > headers.size()) {
      throw new IllegalArgumentException("labelColumns must be in 0.." + headers.size() + ", got " + labelColumns);
    }
    this.headers = List.copyOf(headers);
    this.labelColumns = labelColumns;
  }

  /** Adds a row; it must have one cell per header. */
  public TextTable add(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.size() + " cells but the table has " + headers.size()
          + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  public int numRows() {
    return rows.size();
  }

  /** Label columns left-aligned, number columns right-aligned, two spaces apart, a dashed rule under the header. */
  public String toText() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, width, labelColumns);
    for (int c = 0; c < width.length; c++) {
      sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    sb.append('\n');
    for (List<String> r : rows) {
      line(sb, r, width, labelColumns);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, int labelColumns) {
    for (int c = 0; c < width.length; c++) {
      String v = cells.get(c);
      String pad = " ".repeat(width[c] - v.length());
      sb.append(c == 0 ? "" : "  ").append(c < labelColumns ? v + pad : pad + v);
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }

  /** GitHub-flavoured Markdown, aligned as {@link #toText()}; '|' in cells escaped. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append('|');
    for (String h : headers) {
      sb.append(' ').append(escape(h)).append(" |");
    }
    sb.append("\n|");
    for (int c = 0; c < headers.size(); c++) {
      sb.append(c < labelColumns ? ":---|" : "---:|");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append('|');
      for (String v : r) {
        sb.append(' ').append(escape(v)).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
