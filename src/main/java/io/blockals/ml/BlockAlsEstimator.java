package io.blockals.ml;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.engine.IterationStats;
import io.blockals.job.Version;
import io.blockals.model.ModelFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;

/**
 * Block-wise ALS as a Spark ML {@code Estimator}, in place of MLlib's {@code ALS}: the same parameter names, types
 * and defaults where the meaning is the same, plus blockals' own ({@code biases}, {@code solver},
 * {@code duplicates}, {@code timestampCol}). {@link #fit} trains with {@link BlockAls#fit}, the engine of
 * {@code train}, so the same data and settings give the same factors.
 *
 * <p>Where it differs from MLlib: user and item ids may be int, bigint or string (a number stands for its decimal
 * string); a repeated (user, item) pair is resolved by {@code duplicates} (default latest: the later row) rather
 * than counted twice; {@code biases} defaults to on for explicit feedback, so predictions are
 * {@code global_mean + user bias + item bias + dot}; predictions are double; and a run that needs a checkpoint
 * ({@code maxIter > checkpointInterval > 0}) fails unless the SparkContext has a checkpoint directory, where MLlib
 * would skip checkpointing silently ({@code checkpointInterval = -1} turns checkpoints off).
 */
public final class BlockAlsEstimator extends Estimator<BlockAlsModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BlockAlsEstimator.class);

  private final String uid;
  private final IntParam rank;
  private final IntParam maxIter;
  private final DoubleParam regParam;
  private final BooleanParam implicitPrefs;
  private final DoubleParam alpha;
  private final BooleanParam nonnegative;
  private final IntParam numUserBlocks;
  private final IntParam numItemBlocks;
  private final IntParam checkpointInterval;
  private final LongParam seed;
  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> ratingCol;
  private final Param<String> predictionCol;
  private final Param<String> coldStartStrategy;
  private final Param<String> biases;
  private final Param<String> solver;
  private final Param<String> duplicates;
  private final Param<String> timestampCol;

  public BlockAlsEstimator() {
    this(Identifiable.randomUID("blockals"));
  }

  public BlockAlsEstimator(String uid) {
    this.uid = uid;
    rank = new IntParam(this, "rank", "rank of the factorization", ParamValidators.gtEq(1));
    maxIter = new IntParam(this, "maxIter", "maximum number of iterations (>= 0)", ParamValidators.gtEq(0));
    regParam = new DoubleParam(this, "regParam", "regularization parameter (>= 0); a row with n ratings is "
        + "penalised regParam * n, as MLlib", ParamValidators.gtEq(0));
    implicitPrefs = new BooleanParam(this, "implicitPrefs", "whether to use implicit preference");
    alpha = new DoubleParam(this, "alpha", "alpha for implicit preference", ParamValidators.gtEq(0));
    nonnegative = new BooleanParam(this, "nonnegative", "whether to use nonnegative constraint for least squares");
    numUserBlocks = new IntParam(this, "numUserBlocks", "number of user blocks", ParamValidators.gtEq(1));
    numItemBlocks = new IntParam(this, "numItemBlocks", "number of item blocks", ParamValidators.gtEq(1));
    checkpointInterval = new IntParam(this, "checkpointInterval", "set checkpoint interval (>= 1) or disable "
        + "checkpoint (-1). E.g. 10 means that the factors will be checkpointed every 10 iterations",
        (Function1<Object, Object> & java.io.Serializable) v -> (Integer) v == -1 || (Integer) v >= 1);
    seed = new LongParam(this, "seed", "random seed");
    userCol = Columns.userCol(this);
    itemCol = Columns.itemCol(this);
    ratingCol = new Param<>(this, "ratingCol", "column name for ratings", Columns.nonEmpty());
    predictionCol = Columns.predictionCol(this);
    coldStartStrategy = Columns.coldStartStrategy(this);
    biases = new Param<>(this, "biases", "learn a global mean and user and item biases: auto (on for explicit "
        + "feedback, off for implicit feedback and nonnegative), true or false",
        inLowerCase("auto", "true", "false"));
    solver = new Param<>(this, "solver", "normal-equation solver: cholesky, cg or auto (Cholesky up to rank 256, "
        + "conjugate gradient above)", inLowerCase("auto", "cholesky", "cg"));
    duplicates = new Param<>(this, "duplicates", "a (user, item) pair rated more than once: latest (the latest "
        + "timestamp, else the later row), first, sum or fail", inLowerCase("latest", "first", "sum", "fail"));
    timestampCol = new Param<>(this, "timestampCol", "column of rating times (numeric) for duplicates = latest | "
        + "first; empty for none", (Function1<String, Object> & java.io.Serializable) s -> s != null);

    setDefault(rank, 10);
    setDefault(maxIter, 10);
    setDefault(regParam, 0.1);
    setDefault(implicitPrefs, false);
    setDefault(alpha, 1.0);
    setDefault(nonnegative, false);
    setDefault(numUserBlocks, 10);
    setDefault(numItemBlocks, 10);
    setDefault(checkpointInterval, 10);
    setDefault(seed, 42L);
    setDefault(ratingCol, "rating");
    Columns.setDefaults(this, userCol, itemCol, predictionCol, coldStartStrategy);
    setDefault(biases, "auto");
    setDefault(solver, "auto");
    setDefault(duplicates, "latest");
    setDefault(timestampCol, "");
  }

  private static Function1<String, Object> inLowerCase(String... allowed) {
    List<String> ok = List.of(allowed);
    return (Function1<String, Object> & java.io.Serializable) s -> s != null
        && ok.contains(s.toLowerCase(Locale.ROOT));
  }

  @Override
  public String uid() {
    return uid;
  }

  // ---- the parameters (Spark ML finds them through these public accessors) ----

  public IntParam rank() {
    return rank;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam regParam() {
    return regParam;
  }

  public BooleanParam implicitPrefs() {
    return implicitPrefs;
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public BooleanParam nonnegative() {
    return nonnegative;
  }

  public IntParam numUserBlocks() {
    return numUserBlocks;
  }

  public IntParam numItemBlocks() {
    return numItemBlocks;
  }

  public IntParam checkpointInterval() {
    return checkpointInterval;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> userCol() {
    return userCol;
  }

  public Param<String> itemCol() {
    return itemCol;
  }

  public Param<String> ratingCol() {
    return ratingCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> coldStartStrategy() {
    return coldStartStrategy;
  }

  public Param<String> biases() {
    return biases;
  }

  public Param<String> solver() {
    return solver;
  }

  public Param<String> duplicates() {
    return duplicates;
  }

  public Param<String> timestampCol() {
    return timestampCol;
  }

  // ---- getters and setters, named as MLlib's ----

  public int getRank() {
    return (Integer) getOrDefault(rank);
  }

  public int getMaxIter() {
    return (Integer) getOrDefault(maxIter);
  }

  public double getRegParam() {
    return (Double) getOrDefault(regParam);
  }

  public boolean getImplicitPrefs() {
    return (Boolean) getOrDefault(implicitPrefs);
  }

  public double getAlpha() {
    return (Double) getOrDefault(alpha);
  }

  public boolean getNonnegative() {
    return (Boolean) getOrDefault(nonnegative);
  }

  public int getNumUserBlocks() {
    return (Integer) getOrDefault(numUserBlocks);
  }

  public int getNumItemBlocks() {
    return (Integer) getOrDefault(numItemBlocks);
  }

  public int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval);
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public String getUserCol() {
    return getOrDefault(userCol);
  }

  public String getItemCol() {
    return getOrDefault(itemCol);
  }

  public String getRatingCol() {
    return getOrDefault(ratingCol);
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy).toLowerCase(Locale.ROOT);
  }

  public String getBiases() {
    return getOrDefault(biases).toLowerCase(Locale.ROOT);
  }

  public String getSolver() {
    return getOrDefault(solver).toLowerCase(Locale.ROOT);
  }

  public String getDuplicates() {
    return getOrDefault(duplicates).toLowerCase(Locale.ROOT);
  }

  public String getTimestampCol() {
    return getOrDefault(timestampCol);
  }

  public BlockAlsEstimator setRank(int value) {
    return (BlockAlsEstimator) set(rank, value);
  }

  public BlockAlsEstimator setMaxIter(int value) {
    return (BlockAlsEstimator) set(maxIter, value);
  }

  public BlockAlsEstimator setRegParam(double value) {
    return (BlockAlsEstimator) set(regParam, value);
  }

  public BlockAlsEstimator setImplicitPrefs(boolean value) {
    return (BlockAlsEstimator) set(implicitPrefs, value);
  }

  public BlockAlsEstimator setAlpha(double value) {
    return (BlockAlsEstimator) set(alpha, value);
  }

  public BlockAlsEstimator setNonnegative(boolean value) {
    return (BlockAlsEstimator) set(nonnegative, value);
  }

  public BlockAlsEstimator setNumUserBlocks(int value) {
    return (BlockAlsEstimator) set(numUserBlocks, value);
  }

  public BlockAlsEstimator setNumItemBlocks(int value) {
    return (BlockAlsEstimator) set(numItemBlocks, value);
  }

  /** Both block counts, as MLlib's {@code setNumBlocks}. */
  public BlockAlsEstimator setNumBlocks(int value) {
    return setNumUserBlocks(value).setNumItemBlocks(value);
  }

  public BlockAlsEstimator setCheckpointInterval(int value) {
    return (BlockAlsEstimator) set(checkpointInterval, value);
  }

  public BlockAlsEstimator setSeed(long value) {
    return (BlockAlsEstimator) set(seed, value);
  }

  public BlockAlsEstimator setUserCol(String value) {
    return (BlockAlsEstimator) set(userCol, value);
  }

  public BlockAlsEstimator setItemCol(String value) {
    return (BlockAlsEstimator) set(itemCol, value);
  }

  public BlockAlsEstimator setRatingCol(String value) {
    return (BlockAlsEstimator) set(ratingCol, value);
  }

  public BlockAlsEstimator setPredictionCol(String value) {
    return (BlockAlsEstimator) set(predictionCol, value);
  }

  public BlockAlsEstimator setColdStartStrategy(String value) {
    return (BlockAlsEstimator) set(coldStartStrategy, value);
  }

  public BlockAlsEstimator setBiases(String value) {
    return (BlockAlsEstimator) set(biases, value);
  }

  public BlockAlsEstimator setSolver(String value) {
    return (BlockAlsEstimator) set(solver, value);
  }

  public BlockAlsEstimator setDuplicates(String value) {
    return (BlockAlsEstimator) set(duplicates, value);
  }

  public BlockAlsEstimator setTimestampCol(String value) {
    return (BlockAlsEstimator) set(timestampCol, value);
  }

  // ---- the stage ----

  /**
   * The engine's parameters from this stage's: the one place where Spark ML's names and conventions become
   * blockals' ({@code checkpointInterval -1} is the engine's 0, {@code biases auto} is resolved here as
   * {@code train} resolves it).
   */
  AlsParams alsParams() {
    boolean implicit = getImplicitPrefs();
    boolean nonneg = getNonnegative();
    boolean withBiases = switch (getBiases()) {
      case "true" -> true;
      case "false" -> false;
      default -> !implicit && !nonneg;
    };
    if (withBiases && (implicit || nonneg)) {
      throw new IllegalArgumentException("biases = true is not supported with "
          + (implicit ? "implicitPrefs = true" : "nonnegative = true (a bias may need to be negative)")
          + "; set biases to auto or false");
    }
    int interval = getCheckpointInterval() == -1 ? 0 : getCheckpointInterval();
    return new AlsParams(getRank(), getMaxIter(), getRegParam(), implicit, getAlpha(), withBiases, nonneg,
        getSolver(), getNumUserBlocks(), getNumItemBlocks(), getSeed(), interval,
        DuplicatePolicy.parse(getDuplicates()));
  }

  @Override
  public BlockAlsModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    SparkSession spark = dataset.sparkSession();
    AlsParams p = alsParams();
    requireCheckpointDir(spark, p);
    long start = System.nanoTime();
    AlsResult r = BlockAls.fit(ratings(dataset.toDF()), p, (s, max) -> LOG.info("iteration {}/{}: loss {}, train "
        + "RMSE {} ({} s)", s.iteration(), max, String.format("%.6g", s.trainLoss()),
        String.format("%.4f", s.trainRmse()), String.format("%.2f", s.seconds())));
    Dataset<Row> users;
    Dataset<Row> items;
    Map<String, Object> json;
    try {
      // Materialised before the engine's blocks are released: the factor tables are all the model keeps.
      users = ModelFormat.userFactors(spark, r).persist(StorageLevel.MEMORY_AND_DISK());
      items = ModelFormat.itemFactors(spark, r).persist(StorageLevel.MEMORY_AND_DISK());
      users.count();
      items.count();
      json = ModelFormat.modelJson(r, runFacts(r, p, (System.nanoTime() - start) / 1e9), Version.get());
    } finally {
      r.unpersist();
    }
    BlockAlsModel model = new BlockAlsModel(uid, users, items, r.globalMean(), json);
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  /** The engine's input columns (user, item, rating double, ts long, ord long) from the configured ones. */
  private Dataset<Row> ratings(Dataset<Row> df) {
    Column user = nonNull(df, getUserCol());
    Column item = nonNull(df, getItemCol());
    if (!(isIntegral(df.schema().apply(getUserCol()).dataType())
        && isIntegral(df.schema().apply(getItemCol()).dataType()))) {
      // The engine reads ids as two numbers or two strings; a number stands for its decimal string either way.
      user = user.cast(DataTypes.StringType);
      item = item.cast(DataTypes.StringType);
    }
    Column ts = getTimestampCol().isEmpty() ? lit(null).cast(DataTypes.LongType)
        : df.col(getTimestampCol()).cast(DataTypes.LongType);
    return df.select(user.as("user"), item.as("item"), nonNull(df, getRatingCol()).cast(DataTypes.DoubleType)
        .as("rating"), ts.as("ts"), monotonically_increasing_id().as("ord"));
  }

  /**
   * The column, failing the fit at a null (as MLlib's does) instead of letting the engine read it as 0; checked as
   * set-up reads the rows, so it costs no pass of its own.
   */
  private static Column nonNull(Dataset<Row> df, String name) {
    Column c = df.col(name);
    if (!df.schema().apply(name).nullable()) {
      return c;
    }
    return when(c.isNull(), raise_error(lit("Column " + name + " holds a null; every rating needs a user, an item "
        + "and a rating (drop such rows first, e.g. dataset.na().drop())"))).otherwise(c);
  }

  private static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType);
  }

  private static void requireCheckpointDir(SparkSession spark, AlsParams p) {
    boolean needed = p.checkpointInterval() > 0 && p.maxIter() > p.checkpointInterval();
    if (needed && spark.sparkContext().getCheckpointDir().isEmpty()) {
      throw new IllegalArgumentException("maxIter " + p.maxIter() + " with checkpointInterval "
          + p.checkpointInterval() + " checkpoints the factors, and the SparkContext has no checkpoint directory: "
          + "call sparkContext.setCheckpointDir(dir), or set checkpointInterval to -1 to train without checkpoints");
    }
  }

  private Map<String, Object> configOf(AlsParams p) {
    Map<String, Object> config = new LinkedHashMap<>(p.toJson());
    config.put("user_col", getUserCol());
    config.put("item_col", getItemCol());
    config.put("rating_col", getRatingCol());
    config.put("timestamp_col", getTimestampCol());
    config.put("cold_start_strategy", getColdStartStrategy());
    return config;
  }

  private ModelFormat.RunFacts runFacts(AlsResult r, AlsParams p, double seconds) {
    List<IterationStats> history = r.history();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train_rmse", history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainRmse());
    metrics.put("train_seconds", seconds);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("source", "spark.ml " + getClass().getName());
    input.put("ratings", r.numRatings());
    return new ModelFormat.RunFacts(null, configOf(p), 0, metrics, input, null, r.dataProfile());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.checkId(schema, getUserCol());
    Columns.checkId(schema, getItemCol());
    Columns.checkNumeric(schema, getRatingCol());
    if (!getTimestampCol().isEmpty()) {
      Columns.checkNumeric(schema, getTimestampCol());
    }
    return Columns.withPrediction(schema, getPredictionCol());
  }

  @Override
  public BlockAlsEstimator copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<BlockAlsEstimator> read() {
    return new DefaultParamsReader<>();
  }

  public static BlockAlsEstimator load(String path) {
    return read().load(path);
  }
}
