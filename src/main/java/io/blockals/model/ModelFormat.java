package io.blockals.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blockals.BlockalsException;
import io.blockals.engine.AlsResult;
import io.blockals.engine.DataProfile;
import io.blockals.engine.IterationStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The model directory, format_version 1, in one place: the layout's names, the factor tables' schema, what
 * model.json holds, and how a directory is written into staging and read back. The writer ({@code train}), the
 * committer and every reader ({@code evaluate}, {@code score}, ...) go through this class, so a change of the format
 * is a change of this class (and its test), with {@link #FORMAT_VERSION} bumped.
 *
 * <pre>
 * &lt;model&gt;/
 *   model.json      format_version, created_at, engine, version, run_id, params, config, global_mean, counts,
 *                   id_types, stop_reason, best_iteration, history, metrics, input (and init_model for a warm
 *                   start, quality_gate when a gate judged the run)
 *   user_factors/   Parquet: id (long or string), bias float, features array&lt;float&gt; (length = rank)
 *   item_factors/   Parquet: the same columns
 *   rejects/        Parquet, only with bad_rows = quarantine and rejected rows
 *   _SUCCESS        written last, by the commit
 * </pre>
 *
 * score(u, i) = global_mean + user.bias + item.bias + dot(user.features, item.features); with biases off, bias and
 * global_mean are 0.
 */
public final class ModelFormat {
  public static final int FORMAT_VERSION = 1;
  public static final String ENGINE = "blockals";
  public static final String MODEL_JSON = "model.json";
  public static final String USER_FACTORS = "user_factors";
  public static final String ITEM_FACTORS = "item_factors";
  public static final String SUCCESS = "_SUCCESS";
  public static final String REJECTS = "rejects";
  /** The run's report: one self-contained HTML page drawn from model.json. */
  public static final String REPORT = "report.html";
  /** The marker of a committed command output that is not a model (hidden from Spark and Hadoop listings). */
  public static final String OUTPUT_MARKER = "_blockals_output.json";

  private ModelFormat() {}

  /** The schema of the factor tables: id (long or string), bias float, features array&lt;float&gt;. */
  public static StructType factorSchema(boolean longIds) {
    DataType idType = longIds ? DataTypes.LongType : DataTypes.StringType;
    return new StructType(new StructField[] {
        new StructField("id", idType, false, Metadata.empty()),
        new StructField("bias", DataTypes.FloatType, false, Metadata.empty()),
        new StructField("features", new ArrayType(DataTypes.FloatType, false), false, Metadata.empty())});
  }

  /** The user factor table of a trained model, still on the executors. */
  public static Dataset<Row> userFactors(SparkSession spark, AlsResult r) {
    return spark.createDataFrame(r.userFactorRows(), factorSchema(r.userIdsLong()));
  }

  /** The item factor table of a trained model, still on the executors. */
  public static Dataset<Row> itemFactors(SparkSession spark, AlsResult r) {
    return spark.createDataFrame(r.itemFactorRows(), factorSchema(r.itemIdsLong()));
  }

  /**
   * A trained model's factor tables, written from the executors that hold its blocks: one Parquet file per block,
   * one Spark job for both sides ({@link FactorFiles}).
   */
  public static void writeFactors(Path staging, AlsResult r, Configuration conf) throws IOException {
    FactorFiles.write(staging, r, conf);
  }

  /** Factor tables held as Datasets (a loaded or transformed model); each is written by its own Spark job. */
  public static void writeFactors(Path staging, Dataset<Row> userFactors, Dataset<Row> itemFactors) {
    userFactors.write().mode(SaveMode.ErrorIfExists).parquet(new Path(staging, USER_FACTORS).toString());
    itemFactors.write().mode(SaveMode.ErrorIfExists).parquet(new Path(staging, ITEM_FACTORS).toString());
  }

  /**
   * What a train run knows beside the factors, for model.json.
   *
   * @param runId the run id
   * @param config every resolved config key and value
   * @param rejected bad rows of the input
   * @param metrics train_rmse, validation_* when there is a validation set, train_seconds
   * @param input the input's fingerprint (path, files, sizes, rows)
   * @param qualityGate the gate's record, or null when no gate judged the run
   * @param data what the training ratings look like
   */
  public record RunFacts(String runId, Map<String, Object> config, long rejected, Map<String, Object> metrics,
      Map<String, Object> input, Map<String, Object> qualityGate, DataProfile data) {}

  /** The content of model.json for a trained model (snake_case keys). */
  public static Map<String, Object> modelJson(AlsResult r, RunFacts facts, String version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", FORMAT_VERSION);
    m.put("created_at", Instant.now().toString());
    m.put("engine", ENGINE);
    m.put("version", version);
    m.put("run_id", facts.runId());
    Map<String, Object> params = r.params().toJson();
    params.put("iterations", r.history().size());
    m.put("params", params);
    m.put("config", facts.config());
    m.put("global_mean", r.globalMean());
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("users", r.numUsers());
    counts.put("items", r.numItems());
    counts.put("ratings_used", r.numRatings());
    counts.put("rejected", facts.rejected());
    m.put("counts", counts);
    m.put("id_types", Map.of("user", r.userIdsLong() ? "long" : "string",
        "item", r.itemIdsLong() ? "long" : "string"));
    if (r.warmStart() != null) {
      m.put("init_model", r.warmStart().toJson());
    }
    m.put("stop_reason", r.stopReason().jsonName());
    m.put("best_iteration", r.bestIteration());
    List<Map<String, Object>> history = new ArrayList<>();
    for (IterationStats s : r.history()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("iteration", s.iteration());
      h.put("train_loss", s.trainLoss());
      h.put("train_rmse", s.trainRmse());
      if (r.validated()) {
        h.put("validation_rmse", s.validationRmse());
      }
      h.put("seconds", s.seconds());
      history.add(h);
    }
    m.put("history", history);
    m.put("metrics", facts.metrics());
    m.put("input", facts.input());
    m.put("data", facts.data().toJson(r.params().rank(), r.params().biases()));
    if (facts.qualityGate() != null) {
      m.put("quality_gate", facts.qualityGate());
    }
    return m;
  }

  /**
   * model.json into staging: pretty, snake_case keys, non-finite numbers written as null (JSON has no NaN).
   *
   * @return what was written, as a map (non-finite numbers null)
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> writeModelJson(ModelCommitter committer, Map<String, Object> content)
      throws IOException {
    Map<String, Object> finite = (Map<String, Object>) JsonValues.finite(content);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(finite);
    committer.writeSmallFile(new Path(committer.staging(), MODEL_JSON), json + "\n");
    return finite;
  }

  /** report.html into staging (a page that shows the run's model.json, see {@code io.blockals.report}). */
  public static void writeReport(ModelCommitter committer, String html) throws IOException {
    committer.writeSmallFile(new Path(committer.staging(), REPORT), html);
  }

  /**
   * Opens {@code dir}, or the run its {@code LATEST} names when it is the root of the dated layout; exit 2 if it is
   * not a committed blockals model of a format this build reads. The factor tables are read with Spark's plain
   * Parquet reader, exactly as any other reader of the contract would.
   */
  public static PublishedModel open(SparkSession spark, String root) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String dir = resolve(root, conf);
    Map<String, Object> json = readModelJson(dir, conf);
    double mu = ((Number) json.get("global_mean")).doubleValue();
    Dataset<Row> users = spark.read().parquet(new Path(dir, USER_FACTORS).toString());
    Dataset<Row> items = spark.read().parquet(new Path(dir, ITEM_FACTORS).toString());
    return new PublishedModel(json, users, items, mu);
  }

  /** The content of {@link #OUTPUT_MARKER}. */
  static String outputMarker(String command) {
    return "{\"engine\": \"" + ENGINE + "\", \"command\": \"" + command + "\", \"created_at\": \""
        + Instant.now() + "\"}\n";
  }

  /** True if {@code dir} is a committed or staged output of a blockals command (it holds the marker). */
  public static boolean isBlockalsOutput(FileSystem fs, Path dir) throws IOException {
    Path marker = new Path(dir, OUTPUT_MARKER);
    if (!fs.exists(marker)) {
      return false;
    }
    try {
      return ENGINE.equals(parse(fs, marker).get("engine"));
    } catch (IOException e) {
      return false;
    }
  }

  /** True if {@code dir} holds a model.json written by blockals (complete or not). */
  public static boolean isBlockalsModel(FileSystem fs, Path dir) throws IOException {
    Path json = new Path(dir, MODEL_JSON);
    if (!fs.exists(json)) {
      return false;
    }
    try {
      Map<String, Object> m = parse(fs, json);
      return ENGINE.equals(m.get("engine"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads model.json of a committed model; exit 2 if the directory is not one. */
  public static Map<String, Object> readModelJson(String dir, Configuration conf) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(new Path(p, SUCCESS)) || !fs.exists(new Path(p, MODEL_JSON))) {
        throw BlockalsException.usage("not a committed blockals model (no " + SUCCESS + " or " + MODEL_JSON + "): "
            + dir);
      }
      Map<String, Object> m = parse(fs, new Path(p, MODEL_JSON));
      Object v = m.get("format_version");
      if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
        throw BlockalsException.usage("model " + dir + " has format_version " + v + "; this blockals reads "
            + FORMAT_VERSION);
      }
      return m;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read model " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The model directory a reader should open for {@code dir}: {@code dir} itself, or, for the root of the dated
   * layout (a {@code LATEST} file and no model.json), the run LATEST names.
   */
  public static String resolve(String dir, Configuration conf) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(conf);
      Path latest = new Path(p, ModelCommitter.LATEST);
      if (!fs.exists(new Path(p, MODEL_JSON)) && fs.exists(latest)) {
        return new Path(p, readPointer(fs, latest)).toString();
      }
      return dir;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read model " + dir + ": " + e.getMessage());
    }
  }

  /** The run folder name in a LATEST file (one line, {@code run=<id>}); anything else is an error. */
  public static String readPointer(FileSystem fs, Path latest) throws IOException {
    byte[] buf;
    try (InputStream in = fs.open(latest)) {
      buf = in.readNBytes(4096);
    }
    String name = new String(buf, StandardCharsets.UTF_8).trim();
    if (!name.startsWith(ModelCommitter.RUN_PREFIX) || name.contains("/") || name.contains("\n")) {
      throw new IOException(latest + " does not name a run folder: '" + name + "'");
    }
    return name;
  }

  /** model.json of a directory (no checks beyond being JSON); for the quality gate's look at the published model. */
  public static Map<String, Object> readJson(FileSystem fs, Path json) throws IOException {
    return parse(fs, json);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(FileSystem fs, Path json) throws IOException {
    try (InputStream in = fs.open(json)) {
      return new ObjectMapper().readValue(in, Map.class);
    }
  }
}
