package io.blockals.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.blockals.BlockalsException;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.ModelCommitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code split}: cuts a ratings input into {@code <output>/train} and {@code <output>/test}, every row of the input
 * on exactly one side, committed like every command output (staging, {@code _SUCCESS} last).
 *
 * <p>The unit of the split is the (user, item) pair, not the row: repeated ratings of a pair land on the same side,
 * so a test pair is never also a train pair (except with {@code --before}, which cuts rows by time). Choices are
 * seeded hashes of the pair ({@code xxhash64(seed, user, item)}) and orderings break ties by the input position, so
 * the same input and seed give the same split however the input is partitioned.
 */
public final class SplitJob {
  private static final Logger LOG = LoggerFactory.getLogger(SplitJob.class);
  static final String COMMAND = "split";
  /** Hash buckets of the random split. */
  static final long BUCKETS = 1_000_000L;
  public static final String TRAIN = "train";
  public static final String TEST = "test";

  private SplitJob() {}

  /** How test pairs are chosen. */
  public enum Method {
    /** A fraction of all pairs. */
    RANDOM,
    /** A fraction, or a number, of each user's pairs. */
    USER,
    /** Each user's latest pairs, or every row from a point in time on. */
    TIME;

    public static Method parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw BlockalsException.usage("--method '" + s + "' must be random, user or time");
      }
    }
  }

  /**
   * @param fraction share of pairs held out (random: of all; user and time: of each user's); null for the default
   * @param leaveOut per user, hold out this many pairs (user and time); null when a fraction is used
   * @param before time split: rows with a timestamp at or after it are test rows; null for per-user latest
   * @param format output format, parquet or csv
   */
  public record Options(Method method, Double fraction, Integer leaveOut, Long before, long seed, String format) {
    /** The held-out share when neither a fraction nor a count is given. */
    public static final double DEFAULT_FRACTION = 0.2;

    public Options {
      if (method == null) {
        throw BlockalsException.usage("--method is required: random, user or time");
      }
      if (fraction != null && !(fraction > 0 && fraction < 1)) {
        throw BlockalsException.usage("--fraction must be between 0 and 1 (exclusive), got " + fraction);
      }
      if (leaveOut != null && leaveOut < 1) {
        throw BlockalsException.usage("--leave-out must be at least 1, got " + leaveOut);
      }
      if (fraction != null && leaveOut != null) {
        throw BlockalsException.usage("give --fraction or --leave-out, not both");
      }
      if (method == Method.RANDOM && leaveOut != null) {
        throw BlockalsException.usage("--leave-out is per user: use --method user or time");
      }
      if (before != null && method != Method.TIME) {
        throw BlockalsException.usage("--before needs --method time");
      }
      if (before != null && (fraction != null || leaveOut != null)) {
        throw BlockalsException.usage("--before splits by time alone: drop --fraction and --leave-out");
      }
      format = format == null ? "parquet" : format.trim().toLowerCase(Locale.ROOT);
      if (!format.equals("parquet") && !format.equals("csv")) {
        throw BlockalsException.usage("--format must be parquet or csv, got '" + format + "'");
      }
    }
  }

  /**
   * @param usersKeptWhole users of the user or time method with too few pairs to hold any out: all in train
   */
  public record Outcome(String output, long trainRows, long testRows, long usersKeptWhole) {}

  /**
   * @param spec how to read the input; for {@link Method#TIME} it must name a timestamp column
   */
  public static Outcome run(SparkSession spark, String input, String output, InputSpec spec, Options opts) {
    if (opts.method() == Method.TIME && !spec.hasTimestamp()) {
      throw BlockalsException.usage("split --method time needs a timestamp column for " + input
          + ": set timestamp_col (--set timestamp_col=NAME)");
    }
    ModelCommitter committer = ModelCommitter.prepareOutput(output, spark.sparkContext().hadoopConfiguration(),
        COMMAND);
    try (RatingsInput in = read(spark, input, spec, opts.method())) {
      Dataset<Row> ratings = in.ratings();
      if (opts.method() == Method.TIME) {
        requireTimestamps(ratings, input, spec);
      }
      Dataset<Row> marked = mark(ratings, opts).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Row counts = marked.selectExpr("sum(if(_test, 0L, 1L))", "sum(if(_test, 1L, 0L))",
            "count(distinct if(_whole, user, null))").first();
        write(marked.where(col("_test").equalTo(false)), committer, TRAIN, spec, opts.format());
        write(marked.where(col("_test")), committer, TEST, spec, opts.format());
        committer.commit();
        Outcome out = new Outcome(committer.target().toString(), counts.isNullAt(0) ? 0 : counts.getLong(0),
            counts.isNullAt(1) ? 0 : counts.getLong(1), counts.getLong(2));
        LOG.info("split {} by {}: {} train rows, {} test rows into {}", input,
            opts.method().name().toLowerCase(Locale.ROOT), out.trainRows(), out.testRows(), out.output());
        return out;
      } finally {
        marked.unpersist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
    }
  }

  /**
   * The ratings with {@code _test} (the row is a test row) and {@code _whole} (its user has too few pairs to hold
   * any out, so all of them stay in train; only the per-user methods set it).
   */
  static Dataset<Row> mark(Dataset<Row> ratings, Options opts) {
    Column hash = xxhash64(lit(opts.seed()), col("user"), col("item"));
    if (opts.method() == Method.RANDOM) {
      double f = opts.fraction() == null ? Options.DEFAULT_FRACTION : opts.fraction();
      return ratings.withColumn("_test", pmod(hash, lit(BUCKETS)).lt(lit(Math.round(f * BUCKETS))))
          .withColumn("_whole", lit(false));
    }
    if (opts.before() != null) {
      return ratings.withColumn("_test", col("ts").geq(lit(opts.before()))).withColumn("_whole", lit(false));
    }
    // One row per pair: its latest timestamp and input position order the time split.
    Dataset<Row> pairs = ratings.groupBy("user", "item").agg(max(col("ts")).as("_ts"), max(col("ord")).as("_ord"));
    WindowSpec order = opts.method() == Method.USER
        ? Window.partitionBy("user").orderBy(hash, col("item"))
        : Window.partitionBy("user").orderBy(col("_ts").desc(), col("_ord").desc());
    Column n = count(lit(1)).over(Window.partitionBy("user"));
    Column held = opts.leaveOut() != null
        ? when(n.gt(opts.leaveOut()), lit(opts.leaveOut())).otherwise(lit(0))
        : greatest(lit(0), least(n.minus(1),
            floor(n.multiply(opts.fraction() == null ? Options.DEFAULT_FRACTION : opts.fraction()).plus(0.5))));
    Dataset<Row> decided = pairs.withColumn("_held", held)
        .withColumn("_test", row_number().over(order).leq(col("_held")))
        .select(col("user").as("_u"), col("item").as("_i"), col("_test"), col("_held").equalTo(0).as("_whole"));
    return ratings.join(decided, col("user").equalTo(col("_u")).and(col("item").equalTo(col("_i"))))
        .drop("_u", "_i");
  }

  private static RatingsInput read(SparkSession spark, String input, InputSpec spec, Method method) {
    try {
      return RatingsReader.read(spark, input, spec);
    } catch (BlockalsException e) {
      if (method == Method.TIME && e.getMessage().contains("'" + spec.timestampCol() + "'")) {
        throw new BlockalsException(e.exitCode(), "split --method time needs timestamps: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** A time split of rows without timestamps cannot be made: exit 3 naming the input. */
  private static void requireTimestamps(Dataset<Row> ratings, String input, InputSpec spec) {
    long missing = ratings.where(col("ts").isNull()).count();
    if (missing > 0) {
      throw BlockalsException.inputRejected(input + ": " + missing + " rows have no value in timestamp column '"
          + spec.timestampCol() + "', which split --method time orders by");
    }
  }

  /** One side, in input order, with train's column names so {@code train --input <dir>/train} reads it as is. */
  private static void write(Dataset<Row> side, ModelCommitter committer, String name, InputSpec spec, String format) {
    List<Column> cols = new ArrayList<>();
    cols.add(col("user").as(spec.userCol()));
    cols.add(col("item").as(spec.itemCol()));
    if (spec.hasRating()) {
      cols.add(col("rating").as(spec.ratingCol()));
    }
    if (spec.hasTimestamp()) {
      cols.add(col("ts").as(spec.timestampCol()));
    }
    Dataset<Row> out = side.orderBy("ord").select(cols.toArray(new Column[0]));
    String dir = new org.apache.hadoop.fs.Path(committer.staging(), name).toString();
    if (format.equals("csv")) {
      out.write().option("header", true).csv(dir);
    } else {
      out.write().parquet(dir);
    }
  }
}
