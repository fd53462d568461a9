package io.blockals.job;

import static org.apache.spark.sql.functions.col;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.data.BadRowPolicy;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.FitOptions;
import io.blockals.engine.IterationListener;
import io.blockals.engine.IterationStats;
import io.blockals.engine.WarmStart;
import io.blockals.model.ModelCommitter;
import io.blockals.model.ModelFormat;
import io.blockals.report.RunReport;
import io.blockals.model.PublishOptions;
import io.blockals.model.PublishedModel;
import io.blockals.model.QualityGate;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code train}: input to a published model directory. */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  private TrainJob() {}

  /** What a finished run reports back (also in model.json). */
  public record Outcome(String modelPath, long users, long items, long ratings, double trainRmse,
      Double validationRmse, double seconds, int iterations, String stopReason, int bestIteration) {}

  public static Outcome run(SparkSession spark, String input, String output, JobConfig cfg) {
    return run(spark, input, output, cfg, null);
  }

  /**
   * Trains on {@code input} and publishes to {@code output} (layout, run id and quality gate from {@code cfg}).
   *
   * @param observer also told about every iteration (tests use it to inject faults mid-training); may be null
   * @throws io.blockals.BlockalsException exit code 2 for a bad output, 3 for rejected input, 4 when the quality
   *     gate refuses the model (which is then kept, unpublished, in the folder the message names)
   */
  public static Outcome run(SparkSession spark, String input, String output, JobConfig cfg,
      IterationListener observer) {
    long start = System.nanoTime();
    var hadoopConf = spark.sparkContext().hadoopConfiguration();
    // Spark's Parquet writes would each drop a _SUCCESS into their table folder (user_factors/, rejects/...), so a
    // run killed half-way would leave a partial staging folder holding _SUCCESS files. The model's only marker is the
    // one the committer writes at the top, last.
    hadoopConf.setBoolean("mapreduce.fileoutputcommitter.marksuccessfuljobs", false);
    ModelCommitter committer = ModelCommitter.prepare(output, hadoopConf, cfg.publish());
    Path checkpoints = cfg.checkpointDir().isEmpty() ? committer.scratch("checkpoints")
        : new Path(cfg.checkpointDir(), "blockals-" + committer.runId());
    spark.sparkContext().setCheckpointDir(checkpoints.toString());
    IterationListener listener = observer == null ? TrainJob::logIteration : (s, max) -> {
      logIteration(s, max);
      observer.onIteration(s, max);
    };
    ShutdownGuard guard = ShutdownGuard.install(spark, committer, checkpoints);
    // Uncached (the default), the input is opened, not read: the engine's first set-up pass parses and validates it
    // in one go, and the bad-row policy is applied as soon as set-up has seen every row, before any iteration.
    try (RatingsInput in = cfg.cacheInput() ? RatingsReader.read(spark, input, cfg.inputSpec(), true)
        : RatingsReader.open(spark, input, cfg.inputSpec())) {
      PairSplit split = cfg.validationFraction() > 0 ? new PairSplit(cfg.seed(), cfg.validationFraction()) : null;
      JavaRDD<InternalRow> train =
          in.trainingInternalRows(split == null ? null : (u, i) -> !split.isValidation(u, i));
      AlsParams params = cfg.alsParams(spark.sparkContext().defaultParallelism());
      WarmStart warm = cfg.initModel().isEmpty() ? null : warmStart(spark, cfg, committer);
      LOG.info("training rank {} for {} iterations, reg_param {}, {} user x {} item blocks{}{}", params.rank(),
          params.maxIter(), params.regParam(), params.numUserBlocks(), params.numItemBlocks(),
          params.biases() ? ", with biases" : "", warm == null ? "" : ", starting from " + warm.path());
      // Held-out pairs are read once set-up has read the training rows (the input's one-pass audit is then done),
      // cached, scored inside every iteration and once more, with the published factors, for the metrics.
      HeldOut heldOut = split == null ? null : new HeldOut(spark, in, split);
      AlsResult result;
      try {
        result = BlockAls.fitInternalRows(train, params, listener, in::finishRead,
            new FitOptions(warm, heldOut == null ? null : heldOut::rows));
      } catch (RuntimeException | Error e) {
        if (heldOut != null) {
          heldOut.release();
        }
        throw e;
      }
      Dataset<Row> validation = heldOut == null ? null : heldOut.pairs();
      try {
        Double validationRmse = null;
        Scoring.Metrics vm = null;
        if (validation != null) {
          vm = Scoring.evaluate(validation, ModelFormat.userFactors(spark, result),
              ModelFormat.itemFactors(spark, result), result.globalMean());
          validationRmse = vm.rmse();
          LOG.info("validation: RMSE {} over {} held-out ratings ({} with an unseen user or item)",
              String.format("%.4f", vm.rmse()), vm.count(), vm.cold());
        }
        long writeStart = System.nanoTime();
        ModelFormat.writeFactors(committer.staging(), result, hadoopConf);
        LOG.info("factors written ({} s)", String.format("%.2f", (System.nanoTime() - writeStart) / 1e9));
        if (cfg.inputSpec().badRows() == BadRowPolicy.QUARANTINE && in.report().badRows() > 0) {
          in.writeRejects(new Path(committer.staging(), ModelFormat.REJECTS).toString());
        }
        QualityGate.Decision gate = cfg.qualityGate().enabled() && vm != null
            ? judge(cfg.qualityGate(), committer, vm.rmse()) : null;
        IterationStats published = result.bestStats();
        double trainRmse = published == null ? Double.NaN : published.trainRmse();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("path", input);
        fingerprint.putAll(in.report().toMap());
        ModelFormat.RunFacts facts = new ModelFormat.RunFacts(committer.runId(), cfg.resolvedValues(),
            in.report().badRows(), metrics(vm, trainRmse, seconds), fingerprint, gate == null ? null : gate.record(),
            result.dataProfile());
        Map<String, Object> written = ModelFormat.writeModelJson(committer,
            ModelFormat.modelJson(result, facts, Version.get()));
        ModelFormat.writeReport(committer, RunReport.html(written));
        if (gate != null && !gate.publish()) {
          Path kept = committer.reject();
          LOG.warn("quality gate refused the model: {}; kept unpublished in {}", gate.reason(), kept);
          throw BlockalsException.qualityGate("quality gate refused the model, nothing was published: "
              + gate.reason() + ". The model is kept for inspection in " + kept + " (evaluate it with "
              + "--model " + kept + "); to publish anyway, re-run without the gate or with a looser threshold");
        }
        committer.commit();
        LOG.info("model written to {} ({} users, {} items, {} ratings) in {} s", committer.target(),
            result.numUsers(), result.numItems(), result.numRatings(), String.format("%.1f", seconds));
        return new Outcome(committer.target().toString(), result.numUsers(), result.numItems(),
            result.numRatings(), trainRmse, validationRmse, seconds, result.history().size(),
            result.stopReason().jsonName(), result.bestIteration());
      } finally {
        result.unpersist();
        if (heldOut != null) {
          heldOut.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
      deleteQuietly(committer, checkpoints);
      // Last, so that a signal arriving while the run unwinds still finds its hook.
      guard.close();
    }
  }

  /**
   * The published model {@code init_model} names (a dated root: the run LATEST names), checked against this run:
   * exit 2 unless it is a committed model of the same rank. Its factor tables are opened, not read: the engine joins
   * them to its blocks on the executors. A retry of a dated run (the same run_id, whose earlier attempt LATEST now
   * names) starts from the model that attempt started from, so it computes what the attempt computed.
   */
  private static WarmStart warmStart(SparkSession spark, JobConfig cfg, ModelCommitter committer)
      throws IOException {
    var conf = spark.sparkContext().hadoopConfiguration();
    Path dir = qualified(ModelFormat.resolve(cfg.initModel(), conf), conf);
    if (cfg.publish().layout() == PublishOptions.Layout.DATED && dir.equals(committer.target())) {
      Object earlier = ModelFormat.readModelJson(dir.toString(), conf).get("init_model");
      if (earlier instanceof Map<?, ?> e && e.get("path") instanceof String path) {
        Path before = qualified(path, conf);
        if (before.getFileSystem(conf).exists(new Path(before, ModelFormat.SUCCESS))) {
          LOG.info("init_model {} is this run's earlier attempt; starting from the model it started from, {}", dir,
              before);
          dir = before;
        }
      }
    }
    PublishedModel m = ModelFormat.open(spark, dir.toString());
    Map<String, Object> json = m.json();
    Object rank = json.get("params") instanceof Map<?, ?> params ? params.get("rank") : null;
    if (!(rank instanceof Number r) || r.intValue() != cfg.rank()) {
      throw BlockalsException.usage("init_model " + dir + " has rank " + rank + " but this run has rank "
          + cfg.rank() + ": set rank = " + rank + " or train cold (init_model = \"\")");
    }
    Map<?, ?> idTypes = json.get("id_types") instanceof Map<?, ?> t ? t : Map.of();
    return new WarmStart(dir.toString(), String.valueOf(json.get("run_id")), m.users(), m.items(),
        "long".equals(idTypes.get("user")), "long".equals(idTypes.get("item")));
  }

  private static Path qualified(String path, org.apache.hadoop.conf.Configuration conf) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).makeQualified(p);
  }

  /**
   * The held-out pairs (user, item, rating; the latest rating of a pair), read when first asked for and cached
   * until {@link #release()}.
   */
  private static final class HeldOut {
    private final SparkSession spark;
    private final RatingsInput in;
    private final PairSplit split;
    private Dataset<Row> pairs;

    HeldOut(SparkSession spark, RatingsInput in, PairSplit split) {
      this.spark = spark;
      this.in = in;
      this.split = split;
    }

    Dataset<Row> pairs() {
      if (pairs == null) {
        pairs = latestPerPair(spark.createDataFrame(in.trainingRows(split::isValidation), RatingsInput.RATINGS_SCHEMA))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      }
      return pairs;
    }

    JavaRDD<Row> rows() {
      return pairs().select("user", "item", "rating").javaRDD();
    }

    void release() {
      if (pairs != null) {
        pairs.unpersist(false);
      }
    }
  }

  /** True once SIGINT/SIGTERM has started cleaning up a train run in this JVM. */
  public static boolean interrupted() {
    return ShutdownGuard.fired();
  }

  /** Compares with the model readers currently use, read now (not at start): another run may have published since. */
  private static QualityGate.Decision judge(QualityGate gate, ModelCommitter committer, double rmse)
      throws IOException {
    Optional<Path> published = committer.publishedModel();
    Double previous = null;
    String previousRun = null;
    if (published.isPresent()) {
      Map<String, Object> m = ModelFormat.readJson(committer.fileSystem(),
          new Path(published.get(), ModelFormat.MODEL_JSON));
      previousRun = String.valueOf(m.get("run_id"));
      if (m.get("metrics") instanceof Map<?, ?> metrics
          && metrics.get(QualityGate.METRIC) instanceof Number n) {
        previous = n.doubleValue();
      }
    }
    QualityGate.Decision d = gate.decide(rmse, previous, previousRun, published.isPresent());
    if (d.publish()) {
      LOG.info("quality gate passed: {}", d.reason());
    }
    return d;
  }

  /** The validation side gets the same duplicate rule as training's default: the latest rating of a pair. */
  private static Dataset<Row> latestPerPair(Dataset<Row> ratings) {
    return ratings.groupBy("user", "item")
        .agg(org.apache.spark.sql.functions.max_by(col("rating"),
            org.apache.spark.sql.functions.struct(col("ts"), col("ord"))).as("rating"));
  }

  private static void logIteration(IterationStats s, int maxIter) {
    String train = Double.isNaN(s.trainRmse()) ? "" : ", train RMSE " + String.format("%.4f", s.trainRmse());
    String validation = Double.isNaN(s.validationRmse()) ? ""
        : ", validation RMSE " + String.format("%.4f", s.validationRmse());
    LOG.info("iteration {}/{}: loss {}{}{} ({} s)", s.iteration(), maxIter, String.format("%.6g", s.trainLoss()),
        train, validation, String.format("%.2f", s.seconds()));
  }

  private static Map<String, Object> metrics(Scoring.Metrics vm, double trainRmse, double seconds) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train_rmse", trainRmse);
    if (vm != null) {
      metrics.put("validation_rmse", vm.rmse());
      metrics.put("validation_mae", vm.mae());
      metrics.put("validation_count", vm.count());
      metrics.put("validation_cold", vm.cold());
    }
    metrics.put("train_seconds", seconds);
    return metrics;
  }

  private static void deleteQuietly(ModelCommitter c, Path p) {
    try {
      p.getFileSystem(c.fileSystem().getConf()).delete(p, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove {}: {}", p, e.getMessage());
    }
  }
}
