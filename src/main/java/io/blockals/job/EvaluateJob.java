package io.blockals.job;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blockals.BlockalsException;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.metrics.RankingResult;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code evaluate}: how good a published model is on held-out ratings. Explicit models are judged by the error of
 * their predictions (RMSE, MAE); implicit models, whose scores are preferences and not ratings, by ranking metrics
 * ({@link RankingEvaluation}), which an explicit model also gets when a relevance threshold says which held-out
 * ratings are positives.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  /** The ranking cut-off when none is given. */
  public static final int DEFAULT_K = 10;

  private EvaluateJob() {}

  /**
   * What to measure beyond the prediction error.
   *
   * @param train the ratings the model was trained on: their items are left out of each user's ranking; null ranks
   *     every item
   * @param k the ranking cut-off
   * @param relevanceThreshold held-out ratings at or above it are positives; null: ratings above 0 for an implicit
   *     model, no ranking metrics for an explicit one
   */
  public record Options(String train, int k, Double relevanceThreshold) {
    public static Options errorsOnly() {
      return new Options(null, DEFAULT_K, null);
    }
  }

  /**
   * @param implicit the model was trained on implicit feedback: its RMSE means nothing and is not reported
   * @param errors prediction errors and counts of the held-out pairs
   * @param ranking ranking metrics, or null when none were asked for
   */
  public record Evaluation(boolean implicit, Scoring.Metrics errors, RankingResult ranking) {
    /**
     * Every reported metric by name, in the order they are printed; doubles (NaN when undefined) and longs. The
     * printed lines and the JSON file are both made from this map.
     */
    public Map<String, Number> values() {
      Map<String, Number> m = new LinkedHashMap<>();
      if (!implicit) {
        m.put("rmse", errors.rmse());
        m.put("mae", errors.mae());
      }
      m.put("count", errors.count());
      m.put("cold", errors.cold());
      if (!implicit) {
        m.put("warm_rmse", errors.warmRmse());
      }
      if (ranking != null) {
        int k = ranking.k();
        m.put("precision@" + k, ranking.precision());
        m.put("recall@" + k, ranking.recall());
        m.put("ndcg@" + k, ranking.ndcg());
        m.put("map@" + k, ranking.map());
        m.put("auc", ranking.auc());
        m.put("ranking_users", ranking.users());
        m.put("auc_users", ranking.aucUsers());
      }
      return m;
    }

    /** One {@code name value} line per metric: six decimals for measures, integers for counts. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      values().forEach((name, v) -> out.add(name + " " + format(v)));
      return out;
    }

    /** The metrics as a JSON object, keys as in {@link #lines()}, undefined values as null. */
    public String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      values().forEach((name, v) -> m.put(name, v instanceof Double d && !Double.isFinite(d) ? null : v));
      try {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static String format(Number v) {
      return v instanceof Double d ? String.format(Locale.ROOT, "%.6f", d) : String.valueOf(v.longValue());
    }
  }

  /** RMSE, MAE and counts of a published model on held-out ratings. */
  public static Scoring.Metrics run(SparkSession spark, String model, String test, InputSpec spec) {
    return evaluate(spark, model, test, spec, Options.errorsOnly()).errors();
  }

  /**
   * @param model a model directory, or the root of the dated layout
   * @param test held-out ratings, read with the same rules as train's input ({@code spec}); so is {@code opts.train}
   * @throws BlockalsException exit 2 when ranking options are given for an explicit model without a threshold
   */
  public static Evaluation evaluate(SparkSession spark, String model, String test, InputSpec spec, Options opts) {
    PublishedModel pm = ModelFormat.open(spark, model);
    boolean implicit = isImplicit(pm);
    boolean ranking = implicit || opts.relevanceThreshold() != null;
    if (!ranking && opts.train() != null) {
      throw BlockalsException.usage("--train is used for ranking metrics; an explicit model gets them with "
          + "--relevance-threshold (held-out ratings at or above it are the positives)");
    }
    if (ranking && opts.k() < 1) {
      throw BlockalsException.usage("--k must be at least 1, got " + opts.k());
    }
    try (RatingsInput in = RatingsReader.read(spark, test, spec);
        RatingsInput train = ranking && opts.train() != null ? RatingsReader.read(spark, opts.train(), spec) : null) {
      Scoring.Metrics errors = Scoring.evaluate(in.ratings(), pm.users(), pm.items(), pm.globalMean());
      RankingResult rr = null;
      if (ranking) {
        Dataset<Row> positives = opts.relevanceThreshold() == null ? in.ratings().where(col("rating").gt(0))
            : in.ratings().where(col("rating").geq(opts.relevanceThreshold()));
        if (train == null) {
          LOG.warn("no --train given: every item is ranked, including the ones each user rated in training");
        }
        rr = RankingEvaluation.run(spark, pm, positives.select("user", "item"),
            train == null ? null : train.ratings().select("user", "item"), opts.k());
      }
      return new Evaluation(implicit, errors, rr);
    }
  }

  private static boolean isImplicit(PublishedModel pm) {
    Object params = pm.json().get("params");
    return params instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("implicit"));
  }

  /**
   * Writes {@code content} to {@code file} atomically: into a hidden file beside it, then renamed over it, so a
   * reader sees the previous file or the whole new one. A directory at {@code file} is refused (exit 2).
   */
  public static void writeAtomically(Configuration conf, String file, String content) {
    try {
      Path target = new Path(file);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
        throw BlockalsException.usage("cannot write " + file + ": it is a directory");
      }
      Path parent = target.getParent();
      fs.mkdirs(parent);
      Path tmp = new Path(parent, "." + target.getName() + "._staging-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)));
      try {
        try (OutputStream out = fs.create(tmp, true)) {
          out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        FileContext.getFileContext(target.toUri(), conf)
            .rename(tmp, target, org.apache.hadoop.fs.Options.Rename.OVERWRITE);
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
