package io.blockals.data;

import io.blockals.BlockalsException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a ratings file or directory, validates every row under the bad-row policy and hands back the good rows.
 *
 * <p>Two ways in. {@link #read} validates now: one Spark job parses the input and counts it (with {@code cache},
 * the parse is also kept as a named cached table at {@code MEMORY_AND_DISK_SER} for the engine to read).
 * {@link #open} validates later: it runs no job, and the parse that feeds the engine counts the rows on the way
 * ({@link RatingsInput#trainingInternalRows}, {@link RatingsInput#finishRead}), so {@code train} reads its files once.
 * Rejections are {@link BlockalsException#inputRejected} (exit code 3) with one line naming the file, the line (or
 * Parquet row), the column, the value and the problem.
 */
public final class RatingsReader {
  private static final Logger LOG = LoggerFactory.getLogger(RatingsReader.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private RatingsReader() {}

  /**
   * @param path a file or a directory (every visible file in it, i.e. names not starting with {@code _} or
   *     {@code .}, sorted by name; not recursive) as a Hadoop path string. Names with glob characters
   *     ({@code * ? [ ] { }}) are not supported.
   * @throws BlockalsException exit 3 when the path does not exist, holds no ratings, lacks a configured column
   *     or has bad rows beyond the policy; exit 2 for a format that cannot be told from the file names
   */
  public static RatingsInput read(SparkSession spark, String path, InputSpec spec) {
    return read(spark, path, spec, true);
  }

  /**
   * As {@link #read(SparkSession, String, InputSpec)}; with {@code cache} false the parse is not kept: the
   * validation job parses the files, and whatever reads {@link RatingsInput#ratings()} parses them again. Building
   * Spark's in-memory columnar cache of the parsed rows costs several times more than parsing (a JFR profile at 3M
   * ratings: 345 samples against 72), so reading a local or HDFS file twice is the faster choice; config key
   * {@code cache_input}.
   */
  public static RatingsInput read(SparkSession spark, String path, InputSpec spec, boolean cache) {
    InputFiles in = InputFiles.list(spark.sparkContext().hadoopConfiguration(), path);
    List<String> kinds = fileKinds(spec, in);
    TextSource.Lines text = text(spark, in, spec, kinds);
    JavaRDD<Row> parsedRows = text != null ? text.parsedRows() : ParquetSource.parse(spark, in, spec);
    Dataset<Row> parsed = spark.createDataFrame(parsedRows, ParsedRows.SCHEMA);
    String cacheName = cache ? "blockals_input_" + SEQUENCE.incrementAndGet() : null;
    if (cache) {
      parsed.createOrReplaceTempView(cacheName);
      spark.catalog().cacheTable(cacheName, StorageLevel.MEMORY_AND_DISK_SER());
    }
    try {
      Dataset<Row> cached = cache ? spark.table(cacheName) : parsed;
      // Uncached, count straight from the parser's rows: going through the DataFrame would convert every row to
      // Spark's internal format and back for nothing.
      JavaRDD<Row> scanned = cache ? cached.javaRDD() : parsedRows;
      RatingsInput input = new RatingsInput(spark, cacheName, cached, scanned, null, in, formatName(kinds.get(0)),
          spec);
      input.complete(scan(spark, scanned, path));
      return input;
    } catch (RuntimeException e) {
      dropCache(spark, cacheName);
      throw e;
    }
  }

  /**
   * Opens the input without reading it: the files are listed and their layout fixed (a missing path, an unknown
   * format or a missing header column fail here, exit 3 or 2), but no Spark job runs. The caller reads the rows
   * once through {@link RatingsInput#trainingRows}, which validates them on the way, and then calls
   * {@link RatingsInput#finishRead()} to apply the bad-row policy; that is how {@code train} parses its input once
   * rather than once to validate and once to train.
   */
  public static RatingsInput open(SparkSession spark, String path, InputSpec spec) {
    InputFiles in = InputFiles.list(spark.sparkContext().hadoopConfiguration(), path);
    List<String> kinds = fileKinds(spec, in);
    TextSource.Lines text = text(spark, in, spec, kinds);
    JavaRDD<Row> parsedRows = text != null ? text.parsedRows() : ParquetSource.parse(spark, in, spec);
    // No table yet: a train run that rejects nothing never needs Spark SQL for its input.
    return new RatingsInput(spark, null, null, parsedRows, text, in, formatName(kinds.get(0)), spec);
  }

  /**
   * A list of ids: one string column {@code id}, distinct, trimmed like the ids of ratings. {@code path} is a file
   * or directory of one id per line, or of a table (csv/tsv with a header, or Parquet) holding {@code column}.
   *
   * @throws BlockalsException exit 3 when the path does not exist, holds no ids or lacks the column
   */
  public static Dataset<Row> readIds(SparkSession spark, String path, InputSpec spec, String column) {
    return IdReader.read(spark, path, spec, column);
  }

  /** The lines of a text input, or null for Parquet. */
  private static TextSource.Lines text(SparkSession spark, InputFiles in, InputSpec spec, List<String> kinds) {
    return kinds.get(0).equals(InputFiles.PARQUET) ? null : TextSource.open(spark, in, spec, kinds);
  }

  /** The validation job: counts every parsed row. */
  static ScanStats scan(SparkSession spark, JavaRDD<Row> rows, String path) {
    spark.sparkContext().setJobDescription("blockals: read and validate " + path);
    try {
      return rows.aggregate(new ScanStats(), ScanStats::add, ScanStats::merge);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  static void dropCache(SparkSession spark, String cacheName) {
    if (cacheName != null && spark.catalog().tableExists(cacheName)) {
      spark.catalog().uncacheTable(cacheName);
      spark.catalog().dropTempView(cacheName);
    }
  }

  /** The kind of each file: from the format setting, or from the extensions when it is auto. */
  private static List<String> fileKinds(InputSpec spec, InputFiles in) {
    List<String> names = in.fileNames();
    String single = switch (spec.format()) {
      case "auto" -> InputFiles.detectKind(names, in.displayNames, in.path);
      case "csv" -> InputFiles.CSV;
      case "tsv" -> InputFiles.TSV;
      case "parquet" -> InputFiles.PARQUET;
      default -> null;
    };
    List<String> kinds = new ArrayList<>();
    for (String name : names) {
      // MovieLens comes in two shapes; the name tells which one (u.data is tab-separated, ratings.dat uses ::)
      kinds.add(single != null ? single
          : InputFiles.MOVIELENS_DATA.equals(InputFiles.kindOf(name)) ? InputFiles.MOVIELENS_DATA
          : InputFiles.MOVIELENS_DAT);
    }
    return kinds;
  }

  private static String formatName(String kind) {
    return kind.startsWith("movielens") ? "movielens" : kind;
  }

  static InputReport report(InputFiles in, String format, BadRowPolicy policy, ScanStats stats,
      LineIndex lines) {
    List<InputReport.InputFile> files = new ArrayList<>();
    for (int i = 0; i < in.files.size(); i++) {
      FileStatus s = in.files.get(i);
      files.add(new InputReport.InputFile(in.displayNames.get(i), s.getLen(), s.getModificationTime()));
    }
    List<InputReport.BadRow> examples = new ArrayList<>();
    for (ScanStats.Rejected r : stats.firstBad.values()) {
      String file = in.displayNames.get(Ords.file(r.ord()));
      long position = Ords.position(r.ord());
      if (r.splitKey() == null) {
        examples.add(new InputReport.BadRow(file, null, null, position, r.column(), r.value(), r.reason(),
            r.problem()));
      } else {
        long line = lines.lineNumber(r.splitKey(), r.splitLine());
        examples.add(new InputReport.BadRow(file, line > 0 ? line : null, position, null, r.column(), r.value(),
            r.reason(), r.problem()));
      }
    }
    return new InputReport(in.path, format, policy, files, stats.good, stats.bad, stats.badByReason, examples);
  }

  /** Throws the exit-3 rejection the policy calls for, if any. */
  static void applyPolicy(InputReport report, InputSpec spec) {
    long read = report.rowsRead();
    String path = report.path();
    if (read == 0) {
      throw BlockalsException.inputRejected("no ratings in " + path + ": no data rows (empty files or only a "
          + "header)");
    }
    long bad = report.badRows();
    if (bad == 0) {
      return;
    }
    String first = report.examples().get(0).message();
    double fraction = report.badFraction();
    if (spec.badRows() == BadRowPolicy.FAIL) {
      throw BlockalsException.inputRejected(first + " (" + bad + (bad == 1 ? " bad row" : " bad rows") + " of "
          + read + "; fix the input, or set bad_rows=skip or quarantine with max_bad_fraction >= "
          + roundUp(fraction) + " to drop them)");
    }
    if (fraction > spec.maxBadFraction()) {
      throw BlockalsException.inputRejected(bad + " of " + read + " rows of " + path + " are bad ("
          + String.format(Locale.ROOT, "%.4g", fraction) + "), more than max_bad_fraction "
          + spec.maxBadFraction() + " allows; first: " + first + "; bad rows by reason "
          + report.badRowsByReason());
    }
    if (report.goodRows() == 0) {
      throw BlockalsException.inputRejected("no ratings in " + path + ": all " + read + " rows are bad; first: "
          + first);
    }
    LOG.warn("dropped {} bad rows of {} ({}); first: {}", bad, read, spec.badRows().configName(), first);
  }

  /** A fraction rounded up to two significant digits, so that using it as the limit lets the input pass. */
  static String roundUp(double fraction) {
    return BigDecimal.valueOf(fraction).round(new MathContext(2, RoundingMode.UP)).stripTrailingZeros()
        .toPlainString();
  }
}
