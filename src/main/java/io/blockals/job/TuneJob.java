package io.blockals.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.metrics.RankingResult;
import io.blockals.model.ModelCommitter;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import io.blockals.report.TuneReport;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tune}: a search over numeric config keys. The config file holds train's keys and a {@code tune} block:
 * each tuned key is a list of values (a grid axis) or {@code {min, max, log, samples}} (that many seeded draws from
 * the range, log-uniform with {@code log = true}); every combination is a candidate. Each candidate trains on the
 * executors once per fold, one after another, from the one parse of the input, and is scored on the held-out fold.
 * The output directory gets {@code trials.parquet}, {@code trials.md}, {@code best.conf} (a config that
 * {@code train --config} takes as it is) and {@code report.html} ({@link TuneReport}); all are written into staging
 * and committed together like every command output.
 */
public final class TuneJob {
  private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);
  static final String COMMAND = "tune";
  public static final String TRIALS_PARQUET = "trials.parquet";
  public static final String TRIALS_MD = "trials.md";
  public static final String BEST_CONF = "best.conf";
  /** Keys whose values are whole numbers: sampled values are rounded. */
  private static final List<String> INTEGER_KEYS = List.of("rank", "max_iter", "num_user_blocks",
      "num_item_blocks", "checkpoint_interval");

  private TuneJob() {}

  /**
   * The {@code tune} block.
   *
   * @param axes each tuned key with its candidate values, keys in name order
   * @param folds k of k-fold cross-validation; 1 means a single holdout of {@code holdout}
   * @param holdout the held-out share when {@code folds} is 1
   * @param metric rmse, mae, or a ranking metric (precision@k, recall@k, ndcg@k, map@k, auc)
   * @param relevanceThreshold positives of the ranking metrics for explicit models; null: ratings above 0
   * @param logAxes the keys drawn from a log-uniform range
   */
  public record Spec(Map<String, List<Double>> axes, int folds, double holdout, String metric,
      Double relevanceThreshold, long seed, Set<String> logAxes) {

    /** Lower is better for the error metrics, higher for the ranking metrics. */
    public boolean minimise() {
      return metric.equals("rmse") || metric.equals("mae");
    }

    int k() {
      int at = metric.indexOf('@');
      return at < 0 ? EvaluateJob.DEFAULT_K : Integer.parseInt(metric.substring(at + 1));
    }

    /** Every combination of the axes, the first axis varying slowest. */
    List<Map<String, Double>> candidates() {
      List<Map<String, Double>> out = new ArrayList<>();
      out.add(new LinkedHashMap<>());
      for (Map.Entry<String, List<Double>> axis : axes.entrySet()) {
        List<Map<String, Double>> next = new ArrayList<>();
        for (Map<String, Double> partial : out) {
          for (double v : axis.getValue()) {
            Map<String, Double> c = new LinkedHashMap<>(partial);
            c.put(axis.getKey(), v);
            next.add(c);
          }
        }
        out = next;
      }
      return out;
    }
  }

  /** One candidate's outcome. */
  public record Trial(int trial, Map<String, Double> params, List<Double> foldMetrics, double mean, double seconds) {}

  public record Outcome(String output, List<Trial> trials, Trial best, String metric) {}

  /** The config file split in two: train's keys (as {@code --set} overrides) and the tune block. */
  record Parsed(Map<String, Object> base, Spec spec) {}

  static Parsed parse(String configPath, Configuration conf) {
    Config file = read(configPath, conf);
    if (!file.hasPath("tune")) {
      throw BlockalsException.usage("config " + configPath + " has no tune block, e.g. "
          + "tune { reg_param = [0.01, 0.1, 1], folds = 3, metric = rmse }");
    }
    Map<String, Object> base = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : file.withoutPath("tune").entrySet()) {
      base.put(e.getKey(), e.getValue().unwrapped());
    }
    Config t = file.getConfig("tune");
    try {
      int folds = t.hasPath("folds") ? t.getInt("folds") : 1;
      double holdout = t.hasPath("holdout") ? t.getDouble("holdout") : 0.2;
      String metric = t.hasPath("metric") ? t.getString("metric").trim().toLowerCase(Locale.ROOT) : "rmse";
      Double threshold = t.hasPath("relevance_threshold") ? t.getDouble("relevance_threshold") : null;
      long seed = t.hasPath("seed") ? t.getLong("seed") : file.hasPath("seed") ? file.getLong("seed")
          : JobConfig.defaultsOnly().seed();
      if (folds < 1) {
        throw BlockalsException.usage("tune.folds must be at least 1, got " + folds);
      }
      if (folds == 1 && !(holdout > 0 && holdout < 1)) {
        throw BlockalsException.usage("tune.holdout must be between 0 and 1, got " + holdout);
      }
      if (!metric.matches("rmse|mae|auc|(precision|recall|ndcg|map)@[1-9][0-9]*")) {
        throw BlockalsException.usage("tune.metric must be rmse, mae, auc, or precision@k, recall@k, ndcg@k, map@k; "
            + "got '" + metric + "'");
      }
      Map<String, List<Double>> axes = new LinkedHashMap<>();
      Set<String> logAxes = new TreeSet<>();
      Random rnd = new Random(seed);
      // keys in name order: a config object has no order of its own, and the candidates' order must be stable
      for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(t.root()).entrySet()) {
        String key = e.getKey();
        if (List.of("folds", "holdout", "metric", "relevance_threshold", "seed").contains(key)) {
          continue;
        }
        axes.put(key, values(key, e.getValue(), t, rnd));
        if (e.getValue().valueType() == ConfigValueType.OBJECT && t.hasPath(quote(key) + ".log")
            && t.getBoolean(quote(key) + ".log")) {
          logAxes.add(key);
        }
      }
      if (axes.isEmpty()) {
        throw BlockalsException.usage("the tune block names no key to search, e.g. reg_param = [0.01, 0.1, 1]");
      }
      return new Parsed(base, new Spec(axes, folds, holdout, metric, threshold, seed, logAxes));
    } catch (ConfigException e) {
      throw BlockalsException.usage("config " + configPath + ": " + e.getMessage());
    }
  }

  private static List<Double> values(String key, ConfigValue v, Config t, Random rnd) {
    List<Double> out = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) {
      for (Number n : t.getDoubleList(quote(key))) {
        out.add(n.doubleValue());
      }
    } else if (v.valueType() == ConfigValueType.OBJECT) {
      Config r = t.getConfig(quote(key));
      double min = r.getDouble("min");
      double max = r.getDouble("max");
      boolean log = r.hasPath("log") && r.getBoolean("log");
      int samples = r.getInt("samples");
      if (!(min < max) || samples < 1 || (log && min <= 0)) {
        throw BlockalsException.usage("tune." + key + " needs min < max, samples >= 1 and, with log, min > 0");
      }
      for (int s = 0; s < samples; s++) {
        double u = rnd.nextDouble();
        double x = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        out.add(INTEGER_KEYS.contains(key) ? Math.round(x) : x);
      }
    } else {
      throw BlockalsException.usage("tune." + key + " must be a list of values or { min, max, log, samples }");
    }
    if (out.isEmpty()) {
      throw BlockalsException.usage("tune." + key + " has no values");
    }
    return out;
  }

  private static String quote(String key) {
    return "\"" + key + "\"";
  }

  private static Config read(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw BlockalsException.usage("config file does not exist: " + path);
      }
      try (Reader r = new InputStreamReader(fs.open(p), StandardCharsets.UTF_8)) {
        ConfigSyntax syntax = path.endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
        return ConfigFactory.parseReader(r, ConfigParseOptions.defaults().setSyntax(syntax)
            .setOriginDescription(path)).resolve();
      }
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read config file " + path + ": " + e.getMessage());
    } catch (ConfigException e) {
      throw BlockalsException.usage("config file " + path + ": " + e.getMessage());
    }
  }

  /** A candidate's config: the file's keys, then {@code --set}, then the candidate's values; validated. */
  static JobConfig candidateConfig(Map<String, Object> base, Map<String, String> overrides,
      Map<String, Double> params) {
    Map<String, String> all = new LinkedHashMap<>();
    base.forEach((k, v) -> all.put(k, String.valueOf(v)));
    all.putAll(overrides);
    params.forEach((k, v) -> all.put(k, render(k, v)));
    return JobConfig.load(null, all, new Configuration(false));
  }

  private static String render(String key, double v) {
    return INTEGER_KEYS.contains(key) ? Long.toString(Math.round(v)) : Double.toString(v);
  }

  public static Outcome run(SparkSession spark, String input, String configPath, Map<String, String> overrides,
      String output) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Parsed parsed = parse(configPath, hadoopConf);
    Spec spec = parsed.spec();
    List<Map<String, Double>> candidates = spec.candidates();
    // every candidate's config is validated before any Spark work
    List<JobConfig> configs = new ArrayList<>();
    for (Map<String, Double> c : candidates) {
      configs.add(candidateConfig(parsed.base(), overrides, c));
    }
    JobConfig first = configs.get(0);
    ModelCommitter committer = ModelCommitter.prepareOutput(output, hadoopConf, COMMAND);
    Path checkpoints = committer.scratch("checkpoints");
    spark.sparkContext().setCheckpointDir(checkpoints.toString());
    try (RatingsInput in = RatingsReader.read(spark, input, first.inputSpec(), true)) {
      int folds = spec.folds();
      long buckets = 1_000_000L;
      Dataset<Row> tagged = in.ratings().withColumn("_fold", folds > 1
          ? pmod(xxhash64(lit(spec.seed()), col("user"), col("item")), lit(folds))
          : pmod(xxhash64(lit(spec.seed()), col("user"), col("item")), lit(buckets))
              .lt(lit(Math.round(spec.holdout() * buckets))).cast("long"));
      tagged = tagged.persist(StorageLevel.MEMORY_AND_DISK());
      List<Trial> trials = new ArrayList<>();
      for (int t = 0; t < candidates.size(); t++) {
        trials.add(trial(spark, t + 1, candidates.get(t), configs.get(t), tagged, spec));
      }
      tagged.unpersist();
      Trial best = null;
      for (Trial tr : trials) {
        if (Double.isNaN(tr.mean())) {
          continue;
        }
        if (best == null || (spec.minimise() ? tr.mean() < best.mean() : tr.mean() > best.mean())) {
          best = tr;
        }
      }
      if (best == null) {
        throw BlockalsException.usage("no candidate has a defined " + spec.metric() + "; see the log");
      }
      writeTrials(spark, committer, trials, spec);
      committer.writeSmallFile(new Path(committer.staging(), TRIALS_MD), markdown(trials, spec, best));
      String conf = bestConf(parsed.base(), overrides, best, spec.metric());
      committer.writeSmallFile(new Path(committer.staging(), BEST_CONF), conf);
      ModelFormat.writeReport(committer, report(trials, spec, best, conf));
      committer.commit();
      LOG.info("tune: best {} {} with {}", spec.metric(), String.format(Locale.ROOT, "%.6f", best.mean()),
          best.params());
      return new Outcome(committer.target().toString(), trials, best, spec.metric());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
      try {
        FileSystem fs = checkpoints.getFileSystem(hadoopConf);
        if (fs.exists(checkpoints)) {
          fs.delete(checkpoints, true);
        }
      } catch (IOException e) {
        LOG.warn("could not remove {}: {}", checkpoints, e.getMessage());
      }
    }
  }

  private static Trial trial(SparkSession spark, int number, Map<String, Double> params, JobConfig cfg,
      Dataset<Row> tagged, Spec spec) {
    long start = System.nanoTime();
    List<Double> metrics = new ArrayList<>();
    int folds = spec.folds();
    for (int f = 0; f < folds; f++) {
      long heldFold = folds > 1 ? f : 1;
      Dataset<Row> train = tagged.where(col("_fold").notEqual(heldFold)).select("user", "item", "rating", "ts",
          "ord");
      Dataset<Row> test = tagged.where(col("_fold").equalTo(heldFold)).select("user", "item", "rating");
      AlsParams p = cfg.alsParams(spark.sparkContext().defaultParallelism());
      AlsResult r = BlockAls.fit(train.javaRDD(), p, (s, max) -> { }, null);
      double m = measure(spark, r, train, test, spec, p.implicit());
      LOG.info("tune: trial {} fold {}/{} {}: {} {}", number, f + 1, folds, params, spec.metric(),
          String.format(Locale.ROOT, "%.6f", m));
      metrics.add(m);
    }
    double mean = metrics.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new Trial(number, params, metrics, mean, (System.nanoTime() - start) / 1e9);
  }

  private static double measure(SparkSession spark, AlsResult r, Dataset<Row> train, Dataset<Row> test, Spec spec,
      boolean implicit) {
    Dataset<Row> users = ModelFormat.userFactors(spark, r);
    Dataset<Row> items = ModelFormat.itemFactors(spark, r);
    if (spec.minimise()) {
      Scoring.Metrics m = Scoring.evaluate(test, users, items, r.globalMean());
      return spec.metric().equals("rmse") ? m.rmse() : m.mae();
    }
    Map<String, Object> json = Map.of("params", Map.of("implicit", implicit));
    PublishedModel pm = new PublishedModel(json, users, items, r.globalMean());
    Dataset<Row> positives = spec.relevanceThreshold() == null ? test.where(col("rating").gt(0))
        : test.where(col("rating").geq(spec.relevanceThreshold()));
    RankingResult rr = RankingEvaluation.run(spark, pm, positives.select("user", "item"),
        train.select("user", "item"), spec.k());
    return switch (spec.metric().replaceAll("@.*", "")) {
      case "precision" -> rr.precision();
      case "recall" -> rr.recall();
      case "ndcg" -> rr.ndcg();
      case "map" -> rr.map();
      default -> rr.auc();
    };
  }

  private static void writeTrials(SparkSession spark, ModelCommitter committer, List<Trial> trials, Spec spec) {
    StructType schema = new StructType().add("trial", DataTypes.IntegerType, false);
    for (String key : spec.axes().keySet()) {
      schema = schema.add(key, DataTypes.DoubleType, false);
    }
    schema = schema.add("metric", DataTypes.StringType, false)
        .add("fold_values", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("mean", DataTypes.DoubleType, false).add("seconds", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (Trial t : trials) {
      List<Object> v = new ArrayList<>();
      v.add(t.trial());
      for (String key : spec.axes().keySet()) {
        v.add(t.params().get(key));
      }
      v.add(spec.metric());
      v.add(t.foldMetrics().toArray(new Double[0]));
      v.add(t.mean());
      v.add(t.seconds());
      rows.add(RowFactory.create(v.toArray()));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write()
        .parquet(new Path(committer.staging(), TRIALS_PARQUET).toString());
  }

  static String markdown(List<Trial> trials, Spec spec, Trial best) {
    StringBuilder sb = new StringBuilder();
    sb.append("# tune: ").append(spec.metric()).append(spec.minimise() ? " (lower is better)" : " (higher is better)")
        .append(", ").append(validation(spec)).append("\n\n| trial |");
    spec.axes().keySet().forEach(k -> sb.append(' ').append(k).append(" |"));
    for (int f = 1; f <= spec.folds(); f++) {
      sb.append(" fold ").append(f).append(" |");
    }
    sb.append(" mean | seconds |\n|---:|");
    spec.axes().keySet().forEach(k -> sb.append("---:|"));
    sb.append("---:|".repeat(spec.folds())).append("---:|---:|\n");
    for (Trial t : trials) {
      sb.append("| ").append(t.trial()).append(t == best ? " (best)" : "").append(" |");
      spec.axes().keySet().forEach(k -> sb.append(' ').append(number(t.params().get(k))).append(" |"));
      t.foldMetrics().forEach(m -> sb.append(' ').append(String.format(Locale.ROOT, "%.6f", m)).append(" |"));
      sb.append(' ').append(String.format(Locale.ROOT, "%.6f", t.mean())).append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", t.seconds())).append(" |\n");
    }
    return sb.toString();
  }

  /** report.html: the trials as {@link TuneReport} draws them. */
  static String report(List<Trial> trials, Spec spec, Trial best, String bestConf) {
    TuneReport.Search search = new TuneReport.Search(spec.metric(), spec.minimise(), validation(spec),
        List.copyOf(spec.axes().keySet()), spec.logAxes());
    List<TuneReport.Trial> rows = new ArrayList<>();
    TuneReport.Trial bestRow = null;
    for (Trial t : trials) {
      TuneReport.Trial row = new TuneReport.Trial(t.trial(), t.params(), t.foldMetrics(), t.mean(), t.seconds());
      rows.add(row);
      if (t == best) {
        bestRow = row;
      }
    }
    return TuneReport.html(search, rows, bestRow, bestConf);
  }

  private static String validation(Spec spec) {
    return spec.folds() > 1 ? spec.folds() + "-fold cross-validation" : "holdout " + number(spec.holdout());
  }

  private static String number(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** train's keys of the config file and {@code --set}, with the best candidate's values; no tune block. */
  static String bestConf(Map<String, Object> base, Map<String, String> overrides, Trial best, String metric) {
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(overrides);
    best.params().forEach((k, v) -> all.put(k, INTEGER_KEYS.contains(k) ? (Object) Math.round(v) : (Object) v));
    StringBuilder sb = new StringBuilder("# blockals tune: trial ").append(best.trial()).append(", mean ")
        .append(metric).append(' ').append(String.format(Locale.ROOT, "%.6f", best.mean())).append('\n');
    // one "key = value" line per key, each value rendered by the config library (strings quoted as HOCON wants)
    all.forEach((k, v) -> sb.append(k).append(" = ").append(ConfigValueFactory.fromAnyRef(v).render(
        ConfigRenderOptions.concise())).append('\n'));
    return sb.toString();
  }
}
