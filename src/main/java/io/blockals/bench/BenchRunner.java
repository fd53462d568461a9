package io.blockals.bench;

import io.blockals.model.ModelFormat;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.bench.DenseFactors.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the benchmark: for every size, generate once, cache the inputs once, then for every rank {@code rounds}
 * rounds of blockals, MLlib with its default blocks and MLlib with blocks = cores, alternately, in this one process,
 * so a neighbour's load on a shared machine hits all engines alike and the ratios stay meaningful.
 */
public final class BenchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BenchRunner.class);

  /** MLlib ALS's default numUserBlocks = numItemBlocks. */
  public static final int MLLIB_DEFAULT_BLOCKS = 10;
  /** The planted rank of the generated data (the fitted ranks are the benchmark's). */
  public static final int PLANTED_RANK = 10;
  static final double NOISE = 0.3;
  static final double ITEM_ZIPF = 0.8;
  static final double USER_SKEW = 0.5;
  static final double TEST_FRACTION = 0.1;
  static final int MIN_PER_USER = 5;
  private static final long WARMUP_RATINGS = 50_000;

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final BenchConfig cfg;
  private final int cores;

  public BenchRunner(SparkSession spark, BenchConfig cfg) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.cfg = cfg;
    this.cores = Math.max(1, spark.sparkContext().defaultParallelism());
  }

  /** The number of cores the session runs tasks on (its default parallelism). */
  public int cores() {
    return cores;
  }

  /**
   * The generated data of one size: ratings/40 users and ratings/150 items, Zipf 0.8 item popularity, log-normal user
   * activity (sigma 0.5), planted biases and rank-10 factors, noise 0.3, string ids, each user's latest 10% held out.
   */
  public static GeneratorSpec specFor(long ratings, long seed) {
    int users = (int) Math.max(50, ratings / BenchConfig.RATINGS_PER_USER);
    int items = (int) Math.max(50, ratings / BenchConfig.RATINGS_PER_ITEM);
    return new GeneratorSpec(users, items, ratings, PLANTED_RANK, NOISE, seed, true, ITEM_ZIPF, USER_SKEW,
        MIN_PER_USER, TEST_FRACTION, true, false, 1, 0);
  }

  /** Runs every size and rank and returns one row per (size, rank), in that order. */
  public List<BenchRow> run() {
    return run(rows -> { });
  }

  /**
   * Runs every size and rank; {@code progress} gets the rows so far after each (size, rank), so a long run that is
   * stopped early still leaves its finished rows behind.
   */
  public List<BenchRow> run(Consumer<List<BenchRow>> progress) {
    if (cfg.warmup()) {
      warmUp();
    }
    List<BenchRow> rows = new ArrayList<>();
    for (long size : cfg.sizes()) {
      GeneratorSpec spec = specFor(size, cfg.seed());
      spec.validate();
      long t0 = System.nanoTime();
      PlantedData data = SyntheticGenerator.generate(spec);
      LOG.info("{}: generated {} train / {} test ratings, {} users, {} items in {} s", BenchConfig.sizeLabel(size),
          data.numTrain(), data.numTest(), data.numUsers(), data.numItems(), fmt(seconds(t0)));
      t0 = System.nanoTime();
      try (BenchData inputs = BenchData.build(spark, data, partitions())) {
        LOG.info("{}: cached both inputs in {} s", BenchConfig.sizeLabel(size), fmt(seconds(t0)));
        Ids ids = Ids.of(data);
        for (int rank : cfg.ranks()) {
          rows.add(measure(BenchConfig.sizeLabel(size), data, inputs, ids, rank));
          progress.accept(List.copyOf(rows));
        }
      }
    }
    return rows;
  }

  private int partitions() {
    return cfg.partitions() > 0 ? cfg.partitions() : 2 * cores;
  }

  private int blockalsBlocks() {
    return cfg.blocks() > 0 ? cfg.blocks() : cores;
  }

  /** One short fit of each engine on small data, untimed: class loading and the JIT's first compilations. */
  private void warmUp() {
    long t0 = System.nanoTime();
    PlantedData data = SyntheticGenerator.generate(specFor(WARMUP_RATINGS, cfg.seed() + 1));
    int rank = cfg.ranks().get(0);
    try (BenchData inputs = BenchData.build(spark, data, partitions())) {
      Ids ids = Ids.of(data);
      fitBlockals(inputs.blockalsTrain, data, ids, rank, 2, true);
      if (cfg.intIds()) {
        fitBlockals(inputs.blockalsIntTrain, data, Ids.dense(data), rank, 2, true);
      }
      fitMllib(inputs, rank, 2, MLLIB_DEFAULT_BLOCKS, true);
      if (cfg.plainRounds() > 0) {
        fitPlain(data, rank, 2, true);
      }
    }
    LOG.info("warm-up done in {} s", fmt(seconds(t0)));
  }

  private BenchRow measure(String label, PlantedData data, BenchData inputs, Ids ids, int rank) {
    int rounds = cfg.rounds();
    int coresBlocks = cores == MLLIB_DEFAULT_BLOCKS ? -1 : cores;
    double[] bl = new double[rounds];
    double[] blInt = nan(rounds);
    double[] mlDefault = new double[rounds];
    double[] mlCores = nan(rounds);
    double[] plain = nan(rounds);
    double blRmse = Double.NaN;
    double blIntRmse = Double.NaN;
    double mlDefaultRmse = Double.NaN;
    double mlCoresRmse = Double.NaN;
    double plainRmse = Double.NaN;
    long blHeap = 0;
    long mlHeap = 0;
    for (int round = 0; round < rounds; round++) {
      // The fits are deterministic given the seed, so the RMSE is taken once, in the first round.
      boolean score = round == 0;
      Fit b = fitBlockals(inputs.blockalsTrain, data, ids, rank, cfg.iterations(), score);
      bl[round] = b.seconds;
      blHeap = Math.max(blHeap, b.peakHeap);
      blRmse = score ? b.rmse : blRmse;
      log(label, rank, round, "blockals (" + blockalsBlocks() + " blocks)", b);

      if (cfg.intIds()) {
        Fit bi = fitBlockals(inputs.blockalsIntTrain, data, Ids.dense(data), rank, cfg.iterations(), score);
        blInt[round] = bi.seconds;
        blHeap = Math.max(blHeap, bi.peakHeap);
        blIntRmse = score ? bi.rmse : blIntRmse;
        log(label, rank, round, "blockals, int ids (" + blockalsBlocks() + " blocks)", bi);
      }

      Fit m = fitMllib(inputs, rank, cfg.iterations(), MLLIB_DEFAULT_BLOCKS, score);
      mlDefault[round] = m.seconds;
      mlHeap = Math.max(mlHeap, m.peakHeap);
      mlDefaultRmse = score ? m.rmse : mlDefaultRmse;
      log(label, rank, round, "MLlib (" + MLLIB_DEFAULT_BLOCKS + " blocks)", m);

      if (coresBlocks > 0) {
        Fit c = fitMllib(inputs, rank, cfg.iterations(), coresBlocks, score);
        mlCores[round] = c.seconds;
        mlHeap = Math.max(mlHeap, c.peakHeap);
        mlCoresRmse = score ? c.rmse : mlCoresRmse;
        log(label, rank, round, "MLlib (" + coresBlocks + " blocks)", c);
      }
      if (round < cfg.plainRounds()) {
        Fit p = fitPlain(data, rank, cfg.iterations(), score);
        plain[round] = p.seconds;
        plainRmse = score ? p.rmse : plainRmse;
        log(label, rank, round, "plain Java, 1 thread", p);
      }
    }
    return new BenchRow(label, data.numTrain(), data.numTest(), data.numUsers(), data.numItems(), rank,
        blockalsBlocks(), MLLIB_DEFAULT_BLOCKS, Math.max(coresBlocks, 0), bl, blInt, mlDefault, mlCores, plain, blRmse,
        blIntRmse, mlDefaultRmse, mlCoresRmse, plainRmse, data.noiseFloor(), blHeap, mlHeap);
  }

  private Fit fitBlockals(Dataset<Row> input, PlantedData data, Ids ids, int rank, int iterations, boolean score) {
    int blocks = blockalsBlocks();
    // checkpoint_interval 0: MLlib does not checkpoint either without a checkpoint directory, which we do not set.
    AlsParams params = new AlsParams(rank, iterations, cfg.reg(), false, 1.0, cfg.biases(), false, cfg.solver(), blocks,
        blocks, cfg.seed(), 0, DuplicatePolicy.LATEST);
    Set<Integer> before = persistentIds();
    quiesce();
    long t0;
    long t1;
    long peak;
    AlsResult result;
    try (HeapSampler heap = HeapSampler.start()) {
      t0 = System.nanoTime();
      // fit runs the iterations as Spark jobs that materialise both halves, so the factors exist when it returns.
      result = BlockAls.fit(input, params, null);
      t1 = System.nanoTime();
      peak = heap.peakBytes();
    }
    double rmse = Double.NaN;
    if (score) {
      rmse = blockalsRmse(result, data, ids, rank);
    }
    result.unpersist();
    release(before);
    return new Fit((t1 - t0) / 1e9, peak, rmse);
  }

  /** Collects blockals' factors into dense arrays (indexed like the generator) and scores the held-out pairs. */
  private double blockalsRmse(AlsResult result, PlantedData data, Ids ids, int rank) {
    DenseFactors u = DenseFactors.ofBlockals(ModelFormat.userFactors(spark, result), ids.users(), data.numUsers(),
        rank);
    DenseFactors v = DenseFactors.ofBlockals(ModelFormat.itemFactors(spark, result), ids.items(), data.numItems(),
        rank);
    HeldOut.Result r = HeldOut.rmse(data.testUser(), data.testItem(), data.testRating(), result.globalMean(),
        u.features, u.bias, u.known, v.features, v.bias, v.known, rank);
    if (r.cold() > 0) {
      LOG.warn("blockals: {} of {} test pairs had no factors (cold) and were skipped", r.cold(), data.numTest());
    }
    return r.rmse();
  }

  private Fit fitMllib(BenchData inputs, int rank, int iterations, int blocks, boolean score) {
    ALS als = new ALS()
        .setRank(rank)
        .setMaxIter(iterations)
        .setRegParam(cfg.reg())
        .setNumBlocks(blocks)
        .setSeed(cfg.seed())
        .setUserCol("user")
        .setItemCol("item")
        .setRatingCol("rating")
        .setColdStartStrategy("drop");
    Set<Integer> before = persistentIds();
    quiesce();
    long t0;
    long t1;
    long peak;
    ALSModel model;
    try (HeapSampler heap = HeapSampler.start()) {
      t0 = System.nanoTime();
      model = als.fit(inputs.mllibTrain);
      // fit already counts its final factor RDDs; the counts make sure nothing is left lazy, whatever the version.
      model.userFactors().count();
      model.itemFactors().count();
      t1 = System.nanoTime();
      peak = heap.peakBytes();
    }
    double rmse = Double.NaN;
    if (score) {
      rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating").setPredictionCol("prediction")
          .evaluate(model.transform(inputs.mllibTest));
    }
    release(before);
    return new Fit((t1 - t0) / 1e9, peak, rmse);
  }

  private Fit fitPlain(PlantedData data, int rank, int iterations, boolean score) {
    quiesce();
    long t0;
    long t1;
    long peak;
    PlainAls.Model model;
    try (HeapSampler heap = HeapSampler.start()) {
      t0 = System.nanoTime();
      model = PlainAls.fit(data.numUsers(), data.numItems(), data.trainUser(), data.trainItem(), data.trainRating(),
          rank, iterations, cfg.reg(), cfg.seed());
      t1 = System.nanoTime();
      peak = heap.peakBytes();
    }
    double rmse = Double.NaN;
    if (score) {
      rmse = HeldOut.rmse(data.testUser(), data.testItem(), data.testRating(), model.mean(), model.userFactors(),
          null, null, model.itemFactors(), null, null, rank).rmse();
    }
    return new Fit((t1 - t0) / 1e9, peak, rmse);
  }

  private Set<Integer> persistentIds() {
    return new HashSet<>(jsc.getPersistentRDDs().keySet());
  }

  /** Unpersists, blocking, every RDD a fit left cached, so the next fit starts from the same memory. */
  private void release(Set<Integer> before) {
    for (Map.Entry<Integer, JavaRDD<?>> e : jsc.getPersistentRDDs().entrySet()) {
      if (!before.contains(e.getKey())) {
        e.getValue().unpersist(true);
      }
    }
  }

  /** A full collection before each timed fit: every engine starts from the same heap, and the peak is its own. */
  private static void quiesce() {
    System.gc();
  }

  private static void log(String label, int rank, int round, String engine, Fit f) {
    LOG.info("{} rank {} round {}: {} {} s, peak heap {} MB{}", label, rank, round + 1, engine, fmt(f.seconds),
        f.peakHeap / (1024 * 1024), Double.isNaN(f.rmse) ? "" : ", held-out RMSE " + String.format(Locale.ROOT,
            "%.4f", f.rmse));
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** One timed fit. */
  private record Fit(double seconds, long peakHeap, double rmse) {}
}
