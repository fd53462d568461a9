package io.blockals.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The validated input of one read: the good rows for the engine, the report, and the rejected rows for
 * quarantine. The parsed input stays cached until {@link #close()}.
 */
public final class RatingsInput implements AutoCloseable {
  /** The schema of {@link #ratings()}. */
  public static final StructType RATINGS_SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("user", DataTypes.StringType, false),
      DataTypes.createStructField("item", DataTypes.StringType, false),
      DataTypes.createStructField("rating", DataTypes.DoubleType, false),
      DataTypes.createStructField("ts", DataTypes.LongType, true),
      DataTypes.createStructField("ord", DataTypes.LongType, false),
  });

  /** The schema of the rejects written by {@link #writeRejects(String)}. */
  public static final StructType REJECTS_SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("file", DataTypes.StringType, false),
      DataTypes.createStructField("line", DataTypes.LongType, true),
      DataTypes.createStructField("byte_offset", DataTypes.LongType, true),
      DataTypes.createStructField("row_index", DataTypes.LongType, true),
      DataTypes.createStructField("column", DataTypes.StringType, true),
      DataTypes.createStructField("value", DataTypes.StringType, true),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
      DataTypes.createStructField("problem", DataTypes.StringType, false),
      DataTypes.createStructField("raw", DataTypes.StringType, true),
  });

  private final SparkSession spark;
  private final String cacheName;
  private final Dataset<Row> parsed;
  private final InputReport report;
  private final LineIndex lines;
  private final List<String> displayNames;
  private boolean closed;

  RatingsInput(SparkSession spark, String cacheName, Dataset<Row> parsed, InputReport report, LineIndex lines,
      List<String> displayNames) {
    this.spark = spark;
    this.cacheName = cacheName;
    this.parsed = parsed;
    this.report = report;
    this.lines = lines;
    this.displayNames = List.copyOf(displayNames);
  }

  /**
   * Good rows only, read from the cache (the files are not parsed again). Schema {@link #RATINGS_SCHEMA}:
   * user string, item string, rating double, ts long (null without a timestamp column), ord long, where
   * {@code ord = fileIndex << 40 | position} orders rows by file and position in the file (byte offset of a
   * text line, row index in a Parquet file), independent of how the input was split.
   */
  public Dataset<Row> ratings() {
    // coalesce with a non-null literal is how Spark learns that the columns are not nullable; the filter
    // already guarantees that the fallback is never used
    return parsed.filter(col("kind").equalTo(ParsedRows.GOOD)).select(
        coalesce(col("user"), lit("")).as("user"),
        coalesce(col("item"), lit("")).as("item"),
        coalesce(col("rating"), lit(0.0)).as("rating"),
        col("ts"),
        col("ord"));
  }

  public InputReport report() {
    return report;
  }

  /** The name of the cached table in Spark's catalog and storage tab. */
  public String cacheName() {
    return cacheName;
  }

  /**
   * Writes the rejected rows, in file order, as Parquet to {@code dir} (a Hadoop path, replaced if present)
   * with the columns of {@link #REJECTS_SCHEMA}: file, line (text, 1-based, exact), byte_offset (text),
   * row_index (Parquet, 0-based), column, value, reason code, problem and the raw line (or, for Parquet, the
   * row's values). Used by the QUARANTINE policy with {@code <model>/rejects/}.
   */
  public void writeRejects(String dir) {
    JavaRDD<Row> rows = parsed.filter(col("kind").equalTo(ParsedRows.BAD)).orderBy(col("ord")).javaRDD()
        .map(new RejectRow(displayNames.toArray(new String[0]), lines));
    spark.createDataFrame(rows, REJECTS_SCHEMA).write().mode(SaveMode.Overwrite).parquet(dir);
  }

  /** Releases the cached parse. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      RatingsReader.dropCache(spark, cacheName);
    }
  }

  /** Turns a cached bad row into a rejects row. */
  private static final class RejectRow implements Function<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final String[] displayNames;
    private final LineIndex lines;

    RejectRow(String[] displayNames, LineIndex lines) {
      this.displayNames = displayNames;
      this.lines = lines;
    }

    @Override
    public Row call(Row r) {
      long ord = r.getLong(ParsedRows.ORD);
      String file = displayNames[Ords.file(ord)];
      Long line = null;
      Long offset = null;
      Long rowIndex = null;
      if (r.isNullAt(ParsedRows.SPLIT_KEY)) {
        rowIndex = Ords.position(ord);
      } else {
        offset = Ords.position(ord);
        long n = lines.lineNumber(r.getLong(ParsedRows.SPLIT_KEY), r.getLong(ParsedRows.SPLIT_LINE));
        line = n > 0 ? n : null;
      }
      return RowFactory.create(file, line, offset, rowIndex, r.getString(ParsedRows.COLUMN),
          r.getString(ParsedRows.VALUE), r.getString(ParsedRows.REASON), r.getString(ParsedRows.PROBLEM),
          r.getString(ParsedRows.RAW));
    }
  }
}
