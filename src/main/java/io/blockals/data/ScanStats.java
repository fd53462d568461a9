package io.blockals.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * What the one validation job brings back to the driver: counts, bad rows by reason, the first bad rows in
 * file order and the line count of every text split. Built with {@code aggregate}, so it must stay small:
 * examples are capped and splits are few.
 */
final class ScanStats implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_EXAMPLES = 20;

  /** One bad row as the tasks saw it; the driver adds the file name and line number. */
  record Rejected(long ord, Long splitKey, Long splitLine, String reason, String column, String value,
      String problem) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  long good;
  long bad;
  final TreeMap<String, Long> badByReason = new TreeMap<>();
  /** The bad rows with the smallest ord, i.e. the first ones in file order. */
  final TreeMap<Long, Rejected> firstBad = new TreeMap<>();
  final Map<Long, Long> splitLines = new HashMap<>();

  static ScanStats add(ScanStats s, Row r) {
    switch (r.getInt(ParsedRows.KIND)) {
      case ParsedRows.GOOD -> s.good++;
      case ParsedRows.BAD -> s.bad(r.getLong(ParsedRows.ORD), nullableLong(r, ParsedRows.SPLIT_KEY),
          nullableLong(r, ParsedRows.SPLIT_LINE), r.getString(ParsedRows.REASON), r.getString(ParsedRows.COLUMN),
          r.getString(ParsedRows.VALUE), r.getString(ParsedRows.PROBLEM));
      case ParsedRows.SPLIT -> s.splitLines.put(r.getLong(ParsedRows.SPLIT_KEY), r.getLong(ParsedRows.SPLIT_LINE));
      default -> throw new IllegalStateException("unknown row kind " + r.getInt(ParsedRows.KIND));
    }
    return s;
  }

  /** Counts one bad row and keeps it as an example if it is among the first in file order. */
  void bad(long ord, Long splitKey, Long splitLine, String reason, String column, String value, String problem) {
    bad++;
    badByReason.merge(reason, 1L, Long::sum);
    if (firstBad.size() < MAX_EXAMPLES || ord < firstBad.lastKey()) {
      firstBad.put(ord, new Rejected(ord, splitKey, splitLine, reason, column, value, problem));
      trim();
    }
  }

  static ScanStats merge(ScanStats a, ScanStats b) {
    a.good += b.good;
    a.bad += b.bad;
    b.badByReason.forEach((k, v) -> a.badByReason.merge(k, v, Long::sum));
    a.firstBad.putAll(b.firstBad);
    a.trim();
    a.splitLines.putAll(b.splitLines);
    return a;
  }

  private void trim() {
    while (firstBad.size() > MAX_EXAMPLES) {
      firstBad.pollLastEntry();
    }
  }

  private static Long nullableLong(Row r, int i) {
    return r.isNullAt(i) ? null : r.getLong(i);
  }
}
