package io.blockals.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.blockals.model.ModelCommitter;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A trained blockals model as a Spark ML {@code Model}, in place of MLlib's {@code ALSModel}. It holds the factor
 * tables of the model-directory contract ({@link ModelFormat}); {@link #transform} adds the contract's score,
 * {@code global_mean + user.bias + item.bias + dot(user.features, item.features)}, computed by the same code as the
 * {@code score} command. {@link #write()} saves a model directory (model.json, user_factors, item_factors,
 * {@code _SUCCESS}) that also holds Spark ML's {@code metadata/}, committed like {@code train}'s output; so
 * {@code evaluate}, {@code score}, {@code recommend} and DuckDB read what a pipeline saved, and
 * {@link #load(String)} also opens a directory {@code train} wrote.
 */
public final class BlockAlsModel extends Model<BlockAlsModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  /** Spark ML's params folder inside a saved model directory (DefaultParamsWriter's name). */
  static final String METADATA = "metadata";

  private final String uid;
  private final transient Dataset<Row> userFactors;
  private final transient Dataset<Row> itemFactors;
  private final double globalMean;
  private final Map<String, Object> modelJson;
  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> predictionCol;
  private final Param<String> coldStartStrategy;

  BlockAlsModel(String uid, Dataset<Row> userFactors, Dataset<Row> itemFactors, double globalMean,
      Map<String, Object> modelJson) {
    this.uid = uid;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.globalMean = globalMean;
    this.modelJson = modelJson;
    userCol = Columns.userCol(this);
    itemCol = Columns.itemCol(this);
    predictionCol = Columns.predictionCol(this);
    coldStartStrategy = Columns.coldStartStrategy(this);
    Columns.setDefaults(this, userCol, itemCol, predictionCol, coldStartStrategy);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> userCol() {
    return userCol;
  }

  public Param<String> itemCol() {
    return itemCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> coldStartStrategy() {
    return coldStartStrategy;
  }

  public String getUserCol() {
    return getOrDefault(userCol);
  }

  public String getItemCol() {
    return getOrDefault(itemCol);
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy).toLowerCase(Locale.ROOT);
  }

  public BlockAlsModel setUserCol(String value) {
    return (BlockAlsModel) set(userCol, value);
  }

  public BlockAlsModel setItemCol(String value) {
    return (BlockAlsModel) set(itemCol, value);
  }

  public BlockAlsModel setPredictionCol(String value) {
    return (BlockAlsModel) set(predictionCol, value);
  }

  public BlockAlsModel setColdStartStrategy(String value) {
    return (BlockAlsModel) set(coldStartStrategy, value);
  }

  /** The user factor table of the contract: id (bigint or string), bias float, features array&lt;float&gt;. */
  public Dataset<Row> userFactors() {
    return userFactors;
  }

  /** The item factor table of the contract. */
  public Dataset<Row> itemFactors() {
    return itemFactors;
  }

  /** mu of the score (0 when the model has no biases). */
  public double globalMean() {
    return globalMean;
  }

  public int rank() {
    Object params = modelJson.get("params");
    return ((Number) ((Map<?, ?>) params).get("rank")).intValue();
  }

  /** model.json as the model directory holds it (or will, once saved). */
  public Map<String, Object> modelJson() {
    return java.util.Collections.unmodifiableMap(modelJson);
  }

  /**
   * The input plus {@code predictionCol} (double). A row whose user or item the model has not seen gets NaN
   * ({@code coldStartStrategy = nan}), is left out ({@code drop}), or is scored from what is known
   * ({@code baseline}: global mean plus the known side's bias, as {@code score --unknown baseline}).
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> df = dataset.toDF();
    Column[] all = new Column[df.columns().length];
    for (int c = 0; c < all.length; c++) {
      all[c] = df.col(df.columns()[c]);
    }
    // The input rides along as one struct, so its column names can never collide with the scorer's.
    Dataset<Row> pairs = df.select(struct(all).as("_blockals_in"), df.col(getUserCol()).as("user"),
        df.col(getItemCol()).as("item"));
    Dataset<Row> scored = Scoring.predict(pairs, userFactors, itemFactors, globalMean);
    scored = switch (getColdStartStrategy()) {
      case Columns.DROP -> scored.where(col("cold").equalTo(false));
      case Columns.NAN -> scored.withColumn("prediction",
          when(col("cold"), lit(Double.NaN)).otherwise(col("prediction")));
      default -> scored;
    };
    return scored.select(col("_blockals_in.*"), col("prediction").as(getPredictionCol()));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.checkId(schema, getUserCol());
    Columns.checkId(schema, getItemCol());
    return Columns.withPrediction(schema, getPredictionCol());
  }

  @Override
  public BlockAlsModel copy(ParamMap extra) {
    BlockAlsModel copied = new BlockAlsModel(uid, userFactors, itemFactors, globalMean, modelJson);
    return copyValues(copied, extra).setParent(parent());
  }

  // ---- recommendations, in MLlib's shape, by the block-wise top-K of the recommend command ----

  /** Top {@code numItems} items for each user: {@code userCol, recommendations array<struct<itemCol, rating>>}. */
  public Dataset<Row> recommendForAllUsers(int numItems) {
    return recommendForAllUsers(numItems, null);
  }

  /**
   * As {@link #recommendForAllUsers(int)}, never recommending a (user, item) pair of {@code seen} (columns
   * {@code userCol} and {@code itemCol}, such as the training ratings); a user may then get fewer items.
   */
  public Dataset<Row> recommendForAllUsers(int numItems, Dataset<?> seen) {
    return Recommender.topK(userFactors, itemFactors, globalMean, numItems, seenPairs(seen, false),
        getUserCol(), getItemCol());
  }

  /** {@link #recommendForAllUsers(int)} for the distinct users in {@code userCol} of {@code dataset}. */
  public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int numItems) {
    return recommendForUserSubset(dataset, numItems, null);
  }

  public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int numItems, Dataset<?> seen) {
    return Recommender.topK(subset(userFactors, dataset, getUserCol()), itemFactors, globalMean, numItems,
        seenPairs(seen, false), getUserCol(), getItemCol());
  }

  /** Top {@code numUsers} users for each item: {@code itemCol, recommendations array<struct<userCol, rating>>}. */
  public Dataset<Row> recommendForAllItems(int numUsers) {
    return recommendForAllItems(numUsers, null);
  }

  public Dataset<Row> recommendForAllItems(int numUsers, Dataset<?> seen) {
    return Recommender.topK(itemFactors, userFactors, globalMean, numUsers, seenPairs(seen, true),
        getItemCol(), getUserCol());
  }

  public Dataset<Row> recommendForItemSubset(Dataset<?> dataset, int numUsers) {
    return Recommender.topK(subset(itemFactors, dataset, getItemCol()), userFactors, globalMean, numUsers, null,
        getItemCol(), getUserCol());
  }

  private static Dataset<Row> subset(Dataset<Row> factors, Dataset<?> dataset, String column) {
    Columns.checkId(dataset.schema(), column);
    Dataset<Row> ids = dataset.toDF().select(dataset.col(column).cast("string").as("_want")).distinct();
    return factors.join(ids, factors.col("id").cast("string").equalTo(ids.col("_want")), "left_semi");
  }

  /** (query id, candidate id) of seen pairs, or null. */
  private Dataset<Row> seenPairs(Dataset<?> seen, boolean byItem) {
    if (seen == null) {
      return null;
    }
    Columns.checkId(seen.schema(), getUserCol());
    Columns.checkId(seen.schema(), getItemCol());
    Column u = seen.col(getUserCol()).cast("string");
    Column i = seen.col(getItemCol()).cast("string");
    return seen.toDF().select(byItem ? i.as("q") : u.as("q"), byItem ? u.as("c") : i.as("c"));
  }

  // ---- persistence ----

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<BlockAlsModel> read() {
    return new Reader();
  }

  public static BlockAlsModel load(String path) {
    return read().load(path);
  }

  /**
   * Saves a model directory of the contract plus Spark ML's {@code metadata/}. As any MLWriter, an existing path is
   * refused unless {@code overwrite()} is set; even then only an earlier blockals model is replaced (any other
   * directory is refused), and the new model is published atomically by {@link ModelCommitter}, {@code _SUCCESS}
   * last, instead of deleting the path first.
   */
  static final class Writer extends MLWriter {
    private final BlockAlsModel model;

    Writer(BlockAlsModel model) {
      this.model = model;
    }

    @Override
    public void save(String path) throws IOException {
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p) && !shouldOverwrite()) {
        throw new IOException("Path " + path + " already exists. To overwrite it, please use "
            + "write.overwrite().save(path) for Scala and use write().overwrite().save(path) for Java and Python.");
      }
      saveImpl(path);
    }

    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      // The model's only _SUCCESS is the committer's, at the top, written last.
      conf.setBoolean("mapreduce.fileoutputcommitter.marksuccessfuljobs", false);
      ModelCommitter committer = ModelCommitter.prepare(path, conf);
      try {
        ModelFormat.writeFactors(committer.staging(), model.userFactors, model.itemFactors);
        Map<String, Object> json = new LinkedHashMap<>(model.modelJson);
        json.put("run_id", committer.runId());
        ModelFormat.writeModelJson(committer, json);
        DefaultParamsWriter.saveMetadata(model, committer.staging().toString(), spark);
        committer.commit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        committer.abort();
      }
    }
  }

  /** Opens a model directory; its Spark ML params come from {@code metadata/} when it has one (defaults if not). */
  static final class Reader extends MLReader<BlockAlsModel> {
    @Override
    public BlockAlsModel load(String path) {
      SparkSession spark = sparkSession();
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      String dir = ModelFormat.resolve(path, conf);
      PublishedModel pm = ModelFormat.open(spark, dir);
      try {
        Path meta = new Path(dir, METADATA);
        if (!meta.getFileSystem(conf).exists(meta)) {
          return new BlockAlsModel(Identifiable.randomUID("blockals"), pm.users(), pm.items(), pm.globalMean(),
              pm.json());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DefaultParamsReader.Metadata md = DefaultParamsReader.loadMetadata(dir, spark, BlockAlsModel.class.getName());
      BlockAlsModel model = new BlockAlsModel(md.uid(), pm.users(), pm.items(), pm.globalMean(), pm.json());
      md.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
