package io.blockals.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One input, read ({@link RatingsReader#read}: validated already) or opened ({@link RatingsReader#open}: validated
 * while the engine reads it): the good rows for the engine, the report, and the rejected rows for quarantine. A
 * cached parse stays cached until {@link #close()}.
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

  /** Which (user, item) pairs a caller wants; shipped to the executors. */
  @FunctionalInterface
  public interface PairFilter extends Serializable {
    boolean test(String user, String item);
  }

  private static final Logger LOG = LoggerFactory.getLogger(RatingsInput.class);

  private final SparkSession spark;
  private final String cacheName;
  /** The parsed rows as a table; made on first use when the input was opened rather than read. */
  private Dataset<Row> parsed;
  /** The same rows as {@link #parsed}, as the parser (or the cache) hands them out. */
  private final JavaRDD<Row> parsedRows;
  /** The lines of an opened text input, which the engine's rows are read from directly; null otherwise. */
  private final TextSource.Lines text;
  private final InputFiles files;
  private final String format;
  private final InputSpec spec;
  private final List<String> displayNames;
  private InputReport report;
  private LineIndex lines;
  private ScanAccumulator audit;
  private boolean closed;

  /** @param parsed the rows as a table, or null to make it from {@code parsedRows} when first needed */
  RatingsInput(SparkSession spark, String cacheName, Dataset<Row> parsed, JavaRDD<Row> parsedRows,
      TextSource.Lines text, InputFiles files, String format, InputSpec spec) {
    this.spark = spark;
    this.cacheName = cacheName;
    this.parsed = parsed;
    this.parsedRows = parsedRows;
    this.text = text;
    this.files = files;
    this.format = format;
    this.spec = spec;
    this.displayNames = List.copyOf(files.displayNames);
  }

  /** Sets the report from the figures of every row; logs it and applies the bad-row policy (exit 3). */
  void complete(ScanStats stats) {
    lines = LineIndex.of(stats.splitLines);
    report = RatingsReader.report(files, format, spec.badRows(), stats, lines);
    LOG.info(report.summary());
    RatingsReader.applyPolicy(report, spec);
  }

  /**
   * The good rows for training, as an RDD of {@code (user, item, rating, ts, ord)} (the columns of
   * {@link #RATINGS_SCHEMA}), keeping only the pairs {@code keep} accepts (all when null).
   *
   * <p>On an input from {@link RatingsReader#open} that has not been validated yet, the rows are validated as they
   * are read: whatever consumes this RDD (the engine's first set-up pass) also counts good and bad rows, and
   * {@link #finishRead()} then applies the bad-row policy from those figures without another pass over the files.
   */
  public JavaRDD<Row> trainingRows(PairFilter keep) {
    if (report != null) {
      JavaRDD<Row> rows = ratings().javaRDD();
      return keep == null ? rows : rows.filter(r -> keep.test(r.getString(0), r.getString(1)));
    }
    return parsedRows.mapPartitionsWithIndex(new AuditedRows(newAudit(), keep), true);
  }

  /**
   * The rows of {@link #trainingRows(PairFilter)} in Spark's internal form, with user and item as
   * {@code UTF8String}s, validated on the way in the same way. Read from an opened text input, a good line becomes a
   * row with no string decoded and no object made but the row's two id views of the line's bytes; the row and the
   * views are reused, so a consumer must copy whatever it keeps beyond the next row (as with Spark's own scans).
   */
  public JavaRDD<InternalRow> trainingInternalRows(PairFilter keep) {
    if (report == null && text != null) {
      return text.trainingRows(newAudit(), keep);
    }
    return trainingRows(keep).map(RatingsInput::internal);
  }

  private ScanAccumulator newAudit() {
    ScanAccumulator acc = new ScanAccumulator();
    spark.sparkContext().register(acc, "blockals input scan");
    audit = acc;
    return acc;
  }

  /** A training row (user, item, rating, ts, ord) in Spark's internal form. */
  private static InternalRow internal(Row r) {
    return new GenericInternalRow(new Object[] {UTF8String.fromString(r.getString(0)),
        UTF8String.fromString(r.getString(1)), r.get(2), r.get(3), r.get(4)});
  }

  /**
   * Applies the bad-row policy (exit 3 on rejected input) and returns the report. After
   * {@link #trainingRows(PairFilter)} has been read through, this uses the figures gathered on the way; otherwise
   * (or if some partition did not report) it runs the validation job now. Idempotent.
   */
  public InputReport finishRead() {
    if (report == null) {
      int partitions = parsedRows.getNumPartitions();
      ScanStats stats;
      if (audit != null && audit.value().size() == partitions) {
        stats = new ScanStats();
        for (ScanStats part : audit.value().values()) {
          stats = ScanStats.merge(stats, part);
        }
      } else {
        if (audit != null) {
          LOG.debug("{} of {} input partitions reported while training; validating the input in a separate pass",
              audit.value().size(), partitions);
        }
        stats = RatingsReader.scan(spark, parsedRows, files.path);
      }
      complete(stats);
    }
    return report;
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
    return parsedTable().filter(col("kind").equalTo(ParsedRows.GOOD)).select(
        coalesce(col("user"), lit("")).as("user"),
        coalesce(col("item"), lit("")).as("item"),
        coalesce(col("rating"), lit(0.0)).as("rating"),
        col("ts"),
        col("ord"));
  }

  /** The read's report; validates the input first if that has not happened yet (see {@link #finishRead()}). */
  public InputReport report() {
    return finishRead();
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
    finishRead();
    JavaRDD<Row> rows = parsedTable().filter(col("kind").equalTo(ParsedRows.BAD)).orderBy(col("ord")).javaRDD()
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

  private Dataset<Row> parsedTable() {
    if (parsed == null) {
      parsed = spark.createDataFrame(parsedRows, ParsedRows.SCHEMA);
    }
    return parsed;
  }
}
