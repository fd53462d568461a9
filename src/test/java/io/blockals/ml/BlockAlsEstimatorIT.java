package io.blockals.ml;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.job.RecommendJob;
import io.blockals.job.ScoreJob;
import io.blockals.job.TrainJob;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML stages against their oracles: MLlib's ALS and ALSModel on the same data, the score and recommend
 * commands on the saved model, train on the same ratings. Planted rank-3 data with biases, 6000 ratings.
 */
class BlockAlsEstimatorIT extends SparkTestBase {
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec();
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @TempDir
  Path tmp;

  @BeforeAll
  static void data() {
    Dataset<Row> all = new Planted(300, 120, 20, 0.1, 7).frame(spark);
    Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 11);
    train = split[0].cache();
    test = split[1].cache();
  }

  private static BlockAlsEstimator estimator() {
    return new BlockAlsEstimator().setRank(Planted.RANK).setMaxIter(10).setRegParam(0.05).setNumBlocks(3);
  }

  /** (user, item) -> prediction, NaN included. */
  private static Map<String, Double> predictions(Dataset<Row> scored, String prediction) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : scored.select(col("user").cast("string"), col("item").cast("string"),
        col(prediction).cast("double")).collectAsList()) {
      out.put(r.getString(0) + "/" + r.getString(1), r.isNullAt(2) ? null : r.getDouble(2));
    }
    return out;
  }

  @Test
  void crossValidatorInAPipelinePicksThePlantedRegParamAndSavesAndLoadsBitForBit() throws IOException {
    BlockAlsEstimator als = estimator().setColdStartStrategy("drop");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {als});
    ParamMap[] grid = new ParamGridBuilder().addGrid(als.regParam(), new double[] {3.0, 0.05, 0.8}).build();
    RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating")
        .setPredictionCol("prediction");
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setEvaluator(rmse)
        .setNumFolds(3).setSeed(5);
    CrossValidatorModel fitted = cv.fit(train);

    double[] metrics = fitted.avgMetrics();
    assertThat(metrics[1]).isLessThan(metrics[2]).isLessThan(metrics[0]);
    BlockAlsModel best = (BlockAlsModel) ((PipelineModel) fitted.bestModel()).stages()[0];
    assertThat(((BlockAlsEstimator) best.parent()).getRegParam()).isEqualTo(0.05);
    // Noise 0.1; 16 training ratings a user leave the best fit near twice that, predicting the mean is about 1.
    assertThat(rmse.evaluate(fitted.transform(test))).isLessThan(0.25);

    String path = tmp.resolve("cv").toString();
    fitted.write().save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    BlockAlsModel reloaded = (BlockAlsModel) ((PipelineModel) loaded.bestModel()).stages()[0];
    assertThat(reloaded.uid()).isEqualTo(best.uid());
    assertThat(reloaded.getColdStartStrategy()).isEqualTo("drop");
    Map<String, Double> before = predictions(fitted.transform(test), "prediction");
    Map<String, Double> after = predictions(loaded.transform(test), "prediction");
    assertThat(after).isNotEmpty().isEqualTo(before);

    // The saved stage is a model directory of the contract: the commands' reader opens it.
    Path stages = tmp.resolve("cv").resolve("bestModel").resolve("stages");
    Path stage;
    try (var list = Files.list(stages)) {
      stage = list.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
    }
    assertThat(stage.resolve(ModelFormat.SUCCESS)).exists();
    assertThat(stage.resolve("user_factors").resolve(ModelFormat.SUCCESS)).doesNotExist();
    assertThat(stage.resolve(BlockAlsModel.METADATA).resolve(ModelFormat.SUCCESS)).doesNotExist();
    PublishedModel pm = PublishedModel.open(spark, stage.toString());
    assertThat(pm.users().count()).isEqualTo(best.userFactors().count());
    assertThat(((Number) ((Map<?, ?>) pm.json().get("params")).get("reg_param")).doubleValue()).isEqualTo(0.05);
  }

  @Test
  void transformEqualsTheScoreCommandWithUnknownAsNan() throws IOException {
    BlockAlsModel model = estimator().fit(train);
    Path dir = tmp.resolve("model");
    model.write().save(dir.toString());
    Dataset<Row> pairs = test.union(spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(100_000, 1, 3.0), org.apache.spark.sql.RowFactory.create(2, 100_000,
            3.0)), Planted.SCHEMA));
    Path csv = Planted.writeCsv(pairs, tmp.resolve("pairs.csv"));
    Path out = tmp.resolve("scores");
    ScoreJob.run(spark, dir.toString(), csv.toString(), out.toString(), SPEC, ScoreJob.Unknown.NAN, 0);
    Map<String, Double> score = predictions(spark.read().parquet(out.toString()), "prediction");
    Map<String, Double> transformed = predictions(model.transform(pairs), "prediction");
    assertThat(transformed).hasSize((int) pairs.count()).isEqualTo(score);
    assertThat(transformed.get("100000/1")).isNaN();

    // Baseline, blockals' extra strategy, is score's default.
    Path base = tmp.resolve("scores-baseline");
    ScoreJob.run(spark, dir.toString(), csv.toString(), base.toString(), SPEC, ScoreJob.Unknown.BASELINE, 0);
    assertThat(predictions(model.setColdStartStrategy("baseline").transform(pairs), "prediction"))
        .isEqualTo(predictions(spark.read().parquet(base.toString()), "prediction"));
  }

  @Test
  void coldStartNanAndDropLeaveTheSameRowsAsMllib() {
    Dataset<Row> withCold = test.union(spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(100_000, 1, 3.0), org.apache.spark.sql.RowFactory.create(2, 100_000,
            3.0), org.apache.spark.sql.RowFactory.create(100_001, 100_001, 3.0)), Planted.SCHEMA));
    BlockAlsModel ours = estimator().fit(train);
    var mllib = new ALS().setRank(Planted.RANK).setMaxIter(10).setRegParam(0.05).setSeed(1).fit(train);
    for (String strategy : List.of("nan", "drop")) {
      Map<String, Double> a = predictions(ours.setColdStartStrategy(strategy).transform(withCold), "prediction");
      Map<String, Double> b = predictions(mllib.setColdStartStrategy(strategy).transform(withCold), "prediction");
      assertThat(a.keySet()).as(strategy).isEqualTo(b.keySet());
      for (String key : a.keySet()) {
        assertThat(a.get(key).isNaN()).as(strategy + " " + key).isEqualTo(b.get(key).isNaN());
      }
    }
    assertThat(predictions(ours.setColdStartStrategy("drop").transform(withCold), "prediction"))
        .hasSize((int) test.count());
  }

  @Test
  void wrongColumnTypesAreRefusedWithMllibStyleMessages() {
    Dataset<Row> doubleUsers = train.withColumn("user", col("user").cast(DataTypes.DoubleType));
    assertThatThrownBy(() -> estimator().fit(doubleUsers)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Column user must be of type int, bigint or string but was actually of type double.");
    Dataset<Row> textRatings = train.withColumn("rating", col("rating").cast(DataTypes.StringType));
    assertThatThrownBy(() -> estimator().fit(textRatings)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Column rating must be of type numeric but was actually of type string.");
    assertThatThrownBy(() -> estimator().setItemCol("movie").fit(train)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("movie does not exist. Available: user, item, rating");
    assertThatThrownBy(() -> estimator().setColdStartStrategy("zero")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coldStartStrategy");
    Dataset<Row> nullUser = train.withColumn("user", org.apache.spark.sql.functions.when(col("user").equalTo(3),
        org.apache.spark.sql.functions.lit(null)).otherwise(col("user")));
    assertThatThrownBy(() -> estimator().setMaxIter(1).fit(nullUser))
        .hasStackTraceContaining("Column user holds a null");
    BlockAlsModel model = estimator().setMaxIter(1).fit(train);
    Dataset<Row> arrays = test.withColumn("item", org.apache.spark.sql.functions.array(col("item")));
    assertThatThrownBy(() -> model.transform(arrays)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Column item must be of type int, bigint or string but was actually of type array<int>.");
    assertThatThrownBy(() -> model.transform(test.withColumn("prediction", col("rating"))))
        .hasMessage("Column prediction already exists.");
  }

  @Test
  void recommendForAllUsersEqualsTheRecommendCommand() throws IOException {
    BlockAlsModel model = estimator().fit(train);
    Path dir = tmp.resolve("model");
    model.write().save(dir.toString());
    Path seen = Planted.writeCsv(train, tmp.resolve("train.csv"));
    Path out = tmp.resolve("recs");
    int k = 7;
    RecommendJob.run(spark, dir.toString(), k, seen.toString(), null, SPEC, out.toString());
    Map<String, List<String>> command = new TreeMap<>();
    for (Row r : spark.read().parquet(out.toString()).orderBy("user", "rank").collectAsList()) {
      command.computeIfAbsent(r.getAs("user").toString(), u -> new ArrayList<>())
          .add(r.getAs("item") + "=" + r.getAs("score"));
    }
    Map<String, List<String>> ours = recommendations(model.recommendForAllUsers(k, train), "item");
    assertThat(ours).hasSize(300).isEqualTo(command);

    Dataset<Row> recs = model.recommendForAllUsers(k);
    assertThat(recs.schema().simpleString())
        .isEqualTo("struct<user:bigint,recommendations:array<struct<item:bigint,rating:double>>>");
    Dataset<Row> two = train.where("user in (3, 5)");
    assertThat(recommendations(model.recommendForUserSubset(two, k), "item").keySet()).containsExactly("3", "5");
    assertThat(recommendations(model.recommendForAllItems(4), "user")).hasSize(120)
        .allSatisfy((item, users) -> assertThat(users).hasSize(4));
  }

  private static Map<String, List<String>> recommendations(Dataset<Row> recs, String inner) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Row r : recs.collectAsList()) {
      List<String> l = new ArrayList<>();
      for (Row x : r.<Row>getList(1)) {
        l.add(x.getAs(inner) + "=" + x.getAs("rating"));
      }
      out.put(r.get(0).toString(), l);
    }
    return out;
  }

  @Test
  void fitGivesTrainsFactorsOnTheSameRatings() throws IOException {
    Path csv = Planted.writeCsv(train, tmp.resolve("train.csv"));
    Path dir = tmp.resolve("trained");
    Map<String, String> set = new HashMap<>(Map.of("rank", "3", "max_iter", "6", "reg_param", "0.05",
        "num_user_blocks", "3", "num_item_blocks", "3", "seed", "42"));
    TrainJob.run(spark, csv.toString(), dir.toString(), JobConfig.load(null, set, new Configuration()));
    PublishedModel trained = PublishedModel.open(spark, dir.toString());
    BlockAlsModel fitted = estimator().setMaxIter(6).fit(train);
    assertThat(fitted.globalMean()).isEqualTo(trained.globalMean());
    assertThat(factors(fitted.userFactors())).hasSize(300).isEqualTo(factors(trained.users()));
    assertThat(factors(fitted.itemFactors())).isEqualTo(factors(trained.items()));

    // A directory train wrote loads as a model with default params.
    BlockAlsModel loaded = BlockAlsModel.load(dir.toString());
    assertThat(predictions(loaded.transform(test), "prediction"))
        .isEqualTo(predictions(fitted.transform(test), "prediction"));
  }

  private static Map<String, String> factors(Dataset<Row> table) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : table.collectAsList()) {
      out.put(r.get(0).toString(), r.getFloat(1) + " " + r.getList(2));
    }
    return out;
  }

  @Test
  void saveRefusesAnExistingPathAndNeverOverwritesADirectoryThatIsNotAModel() throws IOException {
    BlockAlsModel model = estimator().setMaxIter(1).fit(train);
    Path dir = tmp.resolve("m");
    model.write().save(dir.toString());
    assertThatThrownBy(() -> model.write().save(dir.toString())).isInstanceOf(IOException.class)
        .hasMessageContaining("already exists");
    model.write().overwrite().save(dir.toString());
    assertThat(BlockAlsModel.load(dir.toString()).userFactors().count()).isEqualTo(300);

    Path other = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(other.resolve("keep.txt"), "data");
    assertThatThrownBy(() -> model.write().overwrite().save(other.toString()))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("not a blockals model");
    assertThat(other.resolve("keep.txt")).hasContent("data");
  }

  /**
   * Held-out RMSE against MLlib's ALS in the same pipeline, same split, rank, iterations and regParam: blockals
   * must be at most 1% above MLlib's, with its default biases (which this data has, so it is well below) and without
   * them (MLlib's model). Prints the three and their fit times.
   */
  @Test
  void heldOutRmseIsWithinMllibsOnTheSameSplit() {
    RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating");
    // One warm-up fit each, so neither timing pays for the other's class loading and JIT.
    new ALS().setRank(Planted.RANK).setMaxIter(1).fit(train);
    new BlockAlsEstimator().setRank(Planted.RANK).setMaxIter(1).fit(train);
    long t0 = System.nanoTime();
    PipelineModel mllib = new Pipeline().setStages(new PipelineStage[] {new ALS().setRank(Planted.RANK)
        .setMaxIter(10).setRegParam(0.05).setColdStartStrategy("drop")}).fit(train);
    double mllibSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    PipelineModel ours = new Pipeline().setStages(new PipelineStage[] {new BlockAlsEstimator().setRank(Planted.RANK)
        .setMaxIter(10).setRegParam(0.05).setColdStartStrategy("drop")}).fit(train);
    double ourSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    PipelineModel noBiases = new Pipeline().setStages(new PipelineStage[] {new BlockAlsEstimator()
        .setRank(Planted.RANK).setMaxIter(10).setRegParam(0.05).setColdStartStrategy("drop").setBiases("false")})
        .fit(train);
    double noBiasesSeconds = (System.nanoTime() - t0) / 1e9;
    double mllibRmse = rmse.evaluate(mllib.transform(test));
    double ourRmse = rmse.evaluate(ours.transform(test));
    double noBiasesRmse = rmse.evaluate(noBiases.transform(test));
    System.out.printf("held-out RMSE blockals %.4f (fit %.2f s), without biases %.4f (fit %.2f s), MLlib %.4f "
        + "(fit %.2f s)%n", ourRmse, ourSeconds, noBiasesRmse, noBiasesSeconds, mllibRmse, mllibSeconds);
    assertThat(ourRmse).isLessThanOrEqualTo(mllibRmse * 1.01);
    // The same model as MLlib's (no biases): the same objective, so the same fit to within the margin.
    assertThat(noBiasesRmse).isLessThanOrEqualTo(mllibRmse * 1.01);
  }
}
