package io.blockals.bench;

import io.blockals.bench.DenseFactors.Ids;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.model.ModelFormat;
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
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implicit-feedback benchmark: planted play counts of every size, and for every rank and alpha {@code rounds}
 * rounds of blockals' implicit ALS and MLlib's ({@code implicitPrefs = true}, both block settings), alternately, in
 * this one process. Quality is recall@k of each user's held-out (latest) items with the user's train items left out
 * of the ranking, computed by the same brute force for both engines ({@link HeldOutRanking}).
 *
 * <p>Both engines get the same confidence ({@code c = 1 + alpha * r}), preference ({@code p = 1} for r > 0) and
 * regularisation ({@code reg_param} times the row's count, as MLlib scales it); blockals fits no biases in implicit
 * mode, and MLlib has none.
 */
public final class ImplicitBench {
  private static final Logger LOG = LoggerFactory.getLogger(ImplicitBench.class);
  private static final long WARMUP_RATINGS = 50_000;

  /**
   * What the implicit benchmark adds to {@link BenchConfig} (whose biases setting it ignores).
   *
   * @param alphas the confidence slopes to fit with
   * @param k the length of the ranked lists recall is taken on
   * @param mllibDefaultBlocks also fit MLlib with its default 10 blocks, besides blocks = cores
   */
  public record Settings(List<Double> alphas, int k, boolean mllibDefaultBlocks) {
    public Settings {
      alphas = List.copyOf(alphas);
      if (alphas.isEmpty()) {
        throw io.blockals.BlockalsException.usage("--alphas must name at least one alpha, e.g. --alphas 0.1,1,10");
      }
      for (double a : alphas) {
        if (!(a > 0) || !Double.isFinite(a)) {
          throw io.blockals.BlockalsException.usage("--alphas: " + a + " is not a finite number > 0");
        }
      }
      if (k < 1) {
        throw io.blockals.BlockalsException.usage("--k must be at least 1, got " + k);
      }
    }

    /** Parses a comma-separated list of alphas. */
    public static List<Double> parseAlphas(String text) {
      List<Double> out = new ArrayList<>();
      for (String part : text.split(",")) {
        String s = part.trim();
        if (s.isEmpty()) {
          continue;
        }
        try {
          out.add(Double.parseDouble(s));
        } catch (NumberFormatException e) {
          throw io.blockals.BlockalsException.usage("--alphas: '" + s + "' is not a number");
        }
      }
      return out;
    }
  }

  /**
   * What was measured for one (size, rank, alpha): seconds per round per engine (NaN where one did not run) and
   * recall@k of each engine's round-1 fit (the fits are deterministic given the seed), beside the recall of
   * ranking by popularity alone, the floor a personal model is read against.
   */
  public record Figures(String size, long trainRatings, long testRatings, int users, int items, int rank, double alpha,
      int k, long evaluatedUsers, int blockalsBlocks, int mllibDefaultBlocks, int mllibCoresBlocks,
      double[] blockalsSeconds, double[] blockalsIntSeconds, double[] mllibDefaultSeconds,
      double[] mllibCoresSeconds, double blockalsRecall, double blockalsIntRecall, double mllibDefaultRecall,
      double mllibCoresRecall, double popularityRecall) {

    public double blockalsMedian() {
      return Stats.median(blockalsSeconds);
    }

    public double blockalsIntMedian() {
      return Stats.median(blockalsIntSeconds);
    }

    public double mllibDefaultMedian() {
      return Stats.median(mllibDefaultSeconds);
    }

    public double mllibCoresMedian() {
      return Stats.median(mllibCoresSeconds);
    }

    /** True when MLlib with blocks = cores was at least as fast as with its default blocks. */
    public boolean mllibCoresIsBest() {
      double cores = mllibCoresMedian();
      return Double.isFinite(cores) && !(mllibDefaultMedian() < cores);
    }

    public double mllibBestMedian() {
      return Stats.minFinite(mllibDefaultMedian(), mllibCoresMedian());
    }

    /** The recall of MLlib's fastest block setting. */
    public double mllibBestRecall() {
      return mllibCoresIsBest() ? mllibCoresRecall : mllibDefaultRecall;
    }

    /** blockals (string ids) median over MLlib's best median. */
    public double ratioToMllib() {
      return Stats.ratio(blockalsMedian(), mllibBestMedian());
    }

    /** blockals on MLlib's int ids over MLlib's best median. */
    public double intRatioToMllib() {
      return Stats.ratio(blockalsIntMedian(), mllibBestMedian());
    }
  }

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final BenchConfig cfg;
  private final Settings settings;
  private final int cores;

  public ImplicitBench(SparkSession spark, BenchConfig cfg, Settings settings) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.cfg = cfg;
    this.settings = settings;
    this.cores = Math.max(1, spark.sparkContext().defaultParallelism());
  }

  /**
   * The implicit data of one size: the explicit benchmark's shape (ratings/40 users, ratings/150 items, Zipf 0.8,
   * log-normal activity 0.5, planted rank 10, string ids, each user's latest 10% held out) with play counts drawn
   * from the planted affinity (see {@link GeneratorSpec}).
   */
  public static GeneratorSpec specFor(long ratings, long seed) {
    return BenchRunner.specFor(ratings, seed).withImplicit(true);
  }

  public List<Figures> run(Consumer<List<Figures>> progress) {
    if (cfg.warmup()) {
      warmUp();
    }
    List<Figures> rows = new ArrayList<>();
    for (long size : cfg.sizes()) {
      GeneratorSpec spec = specFor(size, cfg.seed());
      spec.validate();
      long t0 = System.nanoTime();
      PlantedData data = SyntheticGenerator.generate(spec);
      String label = BenchConfig.sizeLabel(size);
      LOG.info("{} implicit: generated {} train / {} test counts, {} users, {} items in {} s", label, data.numTrain(),
          data.numTest(), data.numUsers(), data.numItems(), fmt(seconds(t0)));
      double popularity = popularityRecall(data, settings.k());
      LOG.info("{} implicit: recall@{} of ranking by popularity alone {}", label, settings.k(),
          String.format(Locale.ROOT, "%.4f", popularity));
      try (BenchData inputs = BenchData.build(spark, data, partitions())) {
        for (int rank : cfg.ranks()) {
          for (double alpha : settings.alphas()) {
            rows.add(measure(label, data, inputs, rank, alpha, popularity));
            progress.accept(List.copyOf(rows));
          }
        }
      }
    }
    return rows;
  }

  private void warmUp() {
    long t0 = System.nanoTime();
    PlantedData data = SyntheticGenerator.generate(specFor(WARMUP_RATINGS, cfg.seed() + 1));
    int rank = cfg.ranks().get(0);
    double alpha = settings.alphas().get(0);
    try (BenchData inputs = BenchData.build(spark, data, partitions())) {
      fitBlockals(inputs.blockalsTrain, data, Ids.of(data), rank, alpha, 2, true);
      fitMllib(inputs, data, rank, alpha, 2, cores, true);
    }
    LOG.info("warm-up done in {} s", fmt(seconds(t0)));
  }

  /**
   * recall@k of one list for every user, the items by their number of train pairs (most first), each user's train
   * items left out.
   */
  public static double popularityRecall(PlantedData data, int k) {
    float[] count = new float[data.numItems()];
    for (int i : data.trainItem()) {
      count[i]++;
    }
    float[] ones = new float[data.numUsers()];
    Arrays.fill(ones, 1f);
    return HeldOutRanking.recall(data.numUsers(), data.numItems(), 1, ones, null, count, null, data.trainUser(),
        data.trainItem(), data.testUser(), data.testItem(), k).recall();
  }

  private Figures measure(String label, PlantedData data, BenchData inputs, int rank, double alpha,
      double popularity) {
    int rounds = cfg.rounds();
    int coresBlocks = cores == BenchRunner.MLLIB_DEFAULT_BLOCKS ? -1 : cores;
    double[] bl = new double[rounds];
    double[] blInt = nan(rounds);
    double[] mlDefault = nan(rounds);
    double[] mlCores = nan(rounds);
    double blRecall = Double.NaN;
    double blIntRecall = Double.NaN;
    double mlDefaultRecall = Double.NaN;
    double mlCoresRecall = Double.NaN;
    long evaluated = 0;
    String at = label + " rank " + rank + " alpha " + alpha;
    for (int round = 0; round < rounds; round++) {
      boolean score = round == 0;
      Fit b = fitBlockals(inputs.blockalsTrain, data, Ids.of(data), rank, alpha, cfg.iterations(), score);
      bl[round] = b.seconds;
      if (score) {
        blRecall = b.recall.recall();
        evaluated = b.recall.users();
      }
      log(at, round, "blockals (" + blocks() + " blocks)", b);
      if (cfg.intIds()) {
        Fit bi = fitBlockals(inputs.blockalsIntTrain, data, Ids.dense(data), rank, alpha, cfg.iterations(), score);
        blInt[round] = bi.seconds;
        blIntRecall = score ? bi.recall.recall() : blIntRecall;
        log(at, round, "blockals, int ids (" + blocks() + " blocks)", bi);
      }
      if (settings.mllibDefaultBlocks() || coresBlocks < 0) {
        Fit m = fitMllib(inputs, data, rank, alpha, cfg.iterations(), BenchRunner.MLLIB_DEFAULT_BLOCKS, score);
        mlDefault[round] = m.seconds;
        mlDefaultRecall = score ? m.recall.recall() : mlDefaultRecall;
        log(at, round, "MLlib (" + BenchRunner.MLLIB_DEFAULT_BLOCKS + " blocks)", m);
      }
      if (coresBlocks > 0) {
        Fit c = fitMllib(inputs, data, rank, alpha, cfg.iterations(), coresBlocks, score);
        mlCores[round] = c.seconds;
        mlCoresRecall = score ? c.recall.recall() : mlCoresRecall;
        log(at, round, "MLlib (" + coresBlocks + " blocks)", c);
      }
    }
    return new Figures(label, data.numTrain(), data.numTest(), data.numUsers(), data.numItems(), rank, alpha,
        settings.k(), evaluated, blocks(), BenchRunner.MLLIB_DEFAULT_BLOCKS, Math.max(coresBlocks, 0), bl, blInt,
        mlDefault, mlCores, blRecall, blIntRecall, mlDefaultRecall, mlCoresRecall, popularity);
  }

  private Fit fitBlockals(Dataset<Row> input, PlantedData data, Ids ids, int rank, double alpha,
      int iterations, boolean score) {
    int blocks = blocks();
    AlsParams params = new AlsParams(rank, iterations, cfg.reg(), true, alpha, false, false, cfg.solver(), blocks,
        blocks, cfg.seed(), 0, DuplicatePolicy.LATEST);
    Set<Integer> before = persistentIds();
    System.gc();
    long t0 = System.nanoTime();
    AlsResult result = BlockAls.fit(input, params, null);
    long t1 = System.nanoTime();
    HeldOutRanking.Result recall = null;
    if (score) {
      DenseFactors u = DenseFactors.ofBlockals(ModelFormat.userFactors(spark, result), ids.users(), data.numUsers(),
          rank);
      DenseFactors v = DenseFactors.ofBlockals(ModelFormat.itemFactors(spark, result), ids.items(), data.numItems(),
          rank);
      recall = recall(data, rank, u, v);
    }
    result.unpersist();
    release(before);
    return new Fit((t1 - t0) / 1e9, recall);
  }

  private Fit fitMllib(BenchData inputs, PlantedData data, int rank, double alpha, int iterations, int blocks,
      boolean score) {
    ALS als = new ALS().setRank(rank).setMaxIter(iterations).setRegParam(cfg.reg()).setImplicitPrefs(true)
        .setAlpha(alpha).setNumBlocks(blocks).setSeed(cfg.seed()).setUserCol("user").setItemCol("item")
        .setRatingCol("rating");
    Set<Integer> before = persistentIds();
    System.gc();
    long t0 = System.nanoTime();
    ALSModel model = als.fit(inputs.mllibTrain);
    model.userFactors().count();
    model.itemFactors().count();
    long t1 = System.nanoTime();
    HeldOutRanking.Result recall = null;
    if (score) {
      DenseFactors u = DenseFactors.ofMllib(model.userFactors(), data.numUsers(), rank);
      DenseFactors v = DenseFactors.ofMllib(model.itemFactors(), data.numItems(), rank);
      recall = recall(data, rank, u, v);
    }
    release(before);
    return new Fit((t1 - t0) / 1e9, recall);
  }

  private HeldOutRanking.Result recall(PlantedData data, int rank, DenseFactors u, DenseFactors v) {
    return HeldOutRanking.recall(data.numUsers(), data.numItems(), rank, u.features, u.known, v.features, v.known,
        data.trainUser(), data.trainItem(), data.testUser(), data.testItem(), settings.k());
  }

  private int blocks() {
    return cfg.blocks() > 0 ? cfg.blocks() : cores;
  }

  private int partitions() {
    return cfg.partitions() > 0 ? cfg.partitions() : 2 * cores;
  }

  private Set<Integer> persistentIds() {
    return new HashSet<>(jsc.getPersistentRDDs().keySet());
  }

  private void release(Set<Integer> before) {
    for (Map.Entry<Integer, JavaRDD<?>> e : jsc.getPersistentRDDs().entrySet()) {
      if (!before.contains(e.getKey())) {
        e.getValue().unpersist(true);
      }
    }
  }

  private void log(String at, int round, String engine, Fit f) {
    LOG.info("{} round {}: {} {} s{}", at, round + 1, engine, fmt(f.seconds), f.recall == null ? ""
        : String.format(Locale.ROOT, ", recall@%d %.4f over %d users", settings.k(), f.recall.recall(),
            f.recall.users()));
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private record Fit(double seconds, HeldOutRanking.Result recall) {}
}
