package io.blockals.data;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one table that a read produces and caches: good rows, bad rows and, for text inputs, one marker row
 * per input split carrying its line count (see {@link LineIndex}). Keeping all three in one table lets a
 * single Spark job count everything, and lets the engine and the rejects writer reuse the parse.
 */
final class ParsedRows {
  static final int GOOD = 0;
  static final int BAD = 1;
  static final int SPLIT = 2;
  /** Raw text of a bad row is kept up to this many characters. */
  static final int MAX_RAW = 4096;

  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("kind", DataTypes.IntegerType, false),
      DataTypes.createStructField("user", DataTypes.StringType, true),
      DataTypes.createStructField("item", DataTypes.StringType, true),
      DataTypes.createStructField("rating", DataTypes.DoubleType, true),
      DataTypes.createStructField("ts", DataTypes.LongType, true),
      DataTypes.createStructField("ord", DataTypes.LongType, false),
      // text only: split key (fileIndex << 40 | split start) and the line index within the split,
      // or for SPLIT rows the number of lines in the split
      DataTypes.createStructField("split_key", DataTypes.LongType, true),
      DataTypes.createStructField("split_line", DataTypes.LongType, true),
      DataTypes.createStructField("reason", DataTypes.StringType, true),
      DataTypes.createStructField("column", DataTypes.StringType, true),
      DataTypes.createStructField("value", DataTypes.StringType, true),
      DataTypes.createStructField("problem", DataTypes.StringType, true),
      DataTypes.createStructField("raw", DataTypes.StringType, true),
  });

  static final int KIND = 0;
  static final int ORD = 5;
  static final int SPLIT_KEY = 6;
  static final int SPLIT_LINE = 7;
  static final int REASON = 8;
  static final int COLUMN = 9;
  static final int VALUE = 10;
  static final int PROBLEM = 11;
  static final int RAW = 12;

  private ParsedRows() {}

  static Row of(RowRules.Verdict v, long ord, Long splitKey, Long splitLine, String raw) {
    if (v.isGood()) {
      return RowFactory.create(GOOD, v.user, v.item, v.rating, v.ts, ord, splitKey, splitLine, null, null, null,
          null, null);
    }
    String kept = raw == null || raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW);
    return RowFactory.create(BAD, null, null, null, null, ord, splitKey, splitLine, v.reason.code(), v.column,
        v.value, v.problem, kept);
  }

  static Row splitMarker(long splitKey, long lines) {
    return RowFactory.create(SPLIT, null, null, null, null, splitKey, splitKey, lines, null, null, null, null,
        null);
  }
}
