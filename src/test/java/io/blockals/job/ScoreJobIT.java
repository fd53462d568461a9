package io.blockals.job;

import static io.blockals.safety.Dirs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.data.InputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.blockals.model.ModelFormat;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** score end to end: the pairs go through train's reader, the unknown-id policy, the committed output. */
class ScoreJobIT extends SparkTestBase {
  /** Ids that a second CSV reader with other rules would read differently: quotes, escapes, padding, non-ASCII. */
  private static final String RATINGS = String.join("\n",
      "user,item,rating",
      "\"a\"\"b\",\" spaced \",4",
      "\"a\"\"b\",東京,3",
      "  plain  ,\" spaced \",5",
      "  plain  ,\"x,y\",2",
      "é,東京,1",
      "é,\"x,y\",4",
      "\"a\"\"b\",\"x,y\",2",
      "  plain  ,東京,3",
      "é,\" spaced \",5") + "\n";

  @Test
  void theTrainingFileScoresWithNoColdPair() throws Exception {
    Path dir = Files.createDirectories(sparkTmp.resolve("quoted"));
    Path input = Files.writeString(dir.resolve("ratings.csv"), RATINGS, StandardCharsets.UTF_8);
    Path model = dir.resolve("model");
    TrainJob.run(spark, input.toString(), model.toString(), config("rank=2", "max_iter=5"));
    ScoreJob.Outcome out = ScoreJob.run(spark, model.toString(), input.toString(), dir.resolve("scores").toString(),
        InputSpec.defaults(), ScoreJob.Unknown.BASELINE, 0);
    assertThat(out.pairs()).isEqualTo(9);
    assertThat(out.cold()).isZero();
    List<Row> rows = spark.read().parquet(dir.resolve("scores").toString()).collectAsList();
    assertThat(rows).hasSize(9);
    assertThat(rows).extracting(r -> r.getAs("user").toString()).containsOnly("a\"b", "plain", "é");
    assertThat(rows).extracting(r -> r.getAs("item").toString()).containsOnly("spaced", "東京", "x,y");
  }

  @Test
  void unknownPairsFollowThePolicy() throws Exception {
    Path dir = Files.createDirectories(sparkTmp.resolve("unknown"));
    Path model = dir.resolve("model");
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "reg_param=0.01", "max_iter=8"));
    // U9 and M9 are not in the model; U1/M9 has a known user, U9/M9 nothing known.
    Path pairs = Files.writeString(dir.resolve("pairs.csv"), "user,item\nU1,M1\nU1,M9\nU9,M9\n");
    Map<String, Object> json = io.blockals.safety.Dirs.modelJson(model);
    double mu = ((Number) json.get("global_mean")).doubleValue();
    Map<String, Double> userBias = biases(model.resolve("user_factors"));

    Map<String, Double> baseline = predictions(model, pairs, dir.resolve("baseline"), ScoreJob.Unknown.BASELINE);
    assertThat(baseline).containsOnlyKeys("U1/M1", "U1/M9", "U9/M9");
    // baseline: global mean plus the known side's bias (float in the table, added in double)
    assertThat(baseline.get("U1/M9")).isCloseTo(mu + userBias.get("U1"), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(baseline.get("U9/M9")).isCloseTo(mu, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(baseline.get("U1/M1")).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.05));

    Map<String, Double> nan = predictions(model, pairs, dir.resolve("nan"), ScoreJob.Unknown.NAN);
    assertThat(nan.get("U1/M9")).isNaN();
    assertThat(nan.get("U9/M9")).isNaN();
    assertThat(nan.get("U1/M1")).isEqualTo(baseline.get("U1/M1"));

    Map<String, Double> drop = predictions(model, pairs, dir.resolve("drop"), ScoreJob.Unknown.DROP);
    assertThat(drop).containsOnlyKeys("U1/M1");
  }

  @Test
  void aDirectoryThatIsNotAnEarlierOutputIsNeverOverwritten() throws Exception {
    Path dir = Files.createDirectories(sparkTmp.resolve("refuse"));
    Path model = dir.resolve("model");
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "max_iter=2"));
    Path other = Files.createDirectories(dir.resolve("someone-elses"));
    Files.writeString(other.resolve("keep.txt"), "data");
    assertThatThrownBy(() -> ScoreJob.run(spark, model.toString(), "data/toy/all_cells.csv", other.toString(),
        InputSpec.defaults(), ScoreJob.Unknown.BASELINE, 0))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("not an earlier blockals output");
    assertThat(Files.readString(other.resolve("keep.txt"))).isEqualTo("data");
    // An earlier score output is replaced as a whole.
    Path out = dir.resolve("scores");
    ScoreJob.run(spark, model.toString(), "data/toy/all_cells.csv", out.toString(), InputSpec.defaults(),
        ScoreJob.Unknown.BASELINE, 0);
    ScoreJob.run(spark, model.toString(), "data/toy/ratings.csv", out.toString(), InputSpec.defaults(),
        ScoreJob.Unknown.BASELINE, 0);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(6);
    assertThat(out.resolve("_SUCCESS")).exists();
  }

  /**
   * A model written by hand, rank 2, every number a binary fraction so each prediction is exact in double:
   * mu = 3; users a (bias 0.5, [1, 2]), b (-0.25, [0.5, -1]); items x (0.125, [2, 0.5]), y (-0.375, [-1, 3]).
   */
  private static Path handModel(Path dir) throws Exception {
    Path model = Files.createDirectories(dir.resolve("hand-model"));
    spark.createDataFrame(List.of(
            RowFactory.create("a", 0.5f, new Float[] {1f, 2f}),
            RowFactory.create("b", -0.25f, new Float[] {0.5f, -1f})), ModelFormat.factorSchema(false))
        .write().parquet(model.resolve(ModelFormat.USER_FACTORS).toString());
    spark.createDataFrame(List.of(
            RowFactory.create("x", 0.125f, new Float[] {2f, 0.5f}),
            RowFactory.create("y", -0.375f, new Float[] {-1f, 3f})), ModelFormat.factorSchema(false))
        .write().parquet(model.resolve(ModelFormat.ITEM_FACTORS).toString());
    Files.writeString(model.resolve(ModelFormat.MODEL_JSON),
        "{\"format_version\": 1, \"engine\": \"blockals\", \"global_mean\": 3.0}\n");
    Files.writeString(model.resolve(ModelFormat.SUCCESS), "");
    return model;
  }

  @Test
  void predictionsOfAHandWrittenModelAreMuPlusBothBiasesPlusTheDotProduct() throws Exception {
    Path dir = Files.createDirectories(sparkTmp.resolve("hand"));
    Path model = handModel(dir);
    // z and c are not in the model.
    Path pairs = Files.writeString(dir.resolve("pairs.csv"), "user,item\na,x\na,y\nb,x\nb,y\na,z\nc,x\nc,z\n");

    Map<String, Double> baseline = predictions(model, pairs, dir.resolve("baseline"), ScoreJob.Unknown.BASELINE);
    // a.x: 3 + 0.5 + 0.125 + (1*2 + 2*0.5)     = 6.625
    // a.y: 3 + 0.5 - 0.375 + (1*-1 + 2*3)      = 8.125
    // b.x: 3 - 0.25 + 0.125 + (0.5*2 - 1*0.5)  = 3.375
    // b.y: 3 - 0.25 - 0.375 + (0.5*-1 - 1*3)   = -1.125
    // a.z: 3 + 0.5 (the user's bias only); c.x: 3 + 0.125 (the item's); c.z: 3
    assertThat(baseline).containsOnly(
        Map.entry("a/x", 6.625), Map.entry("a/y", 8.125), Map.entry("b/x", 3.375), Map.entry("b/y", -1.125),
        Map.entry("a/z", 3.5), Map.entry("c/x", 3.125), Map.entry("c/z", 3.0));
    Map<String, Boolean> cold = new HashMap<>();
    for (Row r : spark.read().parquet(dir.resolve("baseline").toString()).collectAsList()) {
      cold.put(r.getAs("user") + "/" + r.getAs("item"), r.<Boolean>getAs("cold"));
    }
    assertThat(cold).containsOnly(Map.entry("a/x", false), Map.entry("a/y", false), Map.entry("b/x", false),
        Map.entry("b/y", false), Map.entry("a/z", true), Map.entry("c/x", true), Map.entry("c/z", true));

    Map<String, Double> nan = predictions(model, pairs, dir.resolve("nan"), ScoreJob.Unknown.NAN);
    assertThat(nan).hasSize(7);
    assertThat(nan.get("a/x")).isEqualTo(6.625);
    assertThat(nan.get("b/y")).isEqualTo(-1.125);
    assertThat(nan.get("a/z")).isNaN();
    assertThat(nan.get("c/x")).isNaN();
    assertThat(nan.get("c/z")).isNaN();

    ScoreJob.Outcome drop = ScoreJob.run(spark, model.toString(), pairs.toString(), dir.resolve("drop").toString(),
        InputSpec.defaults(), ScoreJob.Unknown.DROP, 2);
    assertThat(drop.pairs()).isEqualTo(7);
    assertThat(drop.cold()).isEqualTo(3);
    assertThat(drop.rows()).isEqualTo(4);
    assertThat(spark.read().parquet(dir.resolve("drop").toString()).count()).isEqualTo(4);
    // --show: the first predictions by (user, item)
    assertThat(drop.shown()).extracting(r -> r.get(0) + "/" + r.get(1) + "=" + r.getDouble(2))
        .containsExactly("a/x=6.625", "a/y=8.125");
  }

  private static Map<String, Double> predictions(Path model, Path pairs, Path out, ScoreJob.Unknown policy) {
    ScoreJob.run(spark, model.toString(), pairs.toString(), out.toString(), InputSpec.defaults(), policy, 0);
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      m.put(r.getAs("user") + "/" + r.getAs("item"), r.<Double>getAs("prediction"));
    }
    return m;
  }

  private static Map<String, Double> biases(Path table) {
    Map<String, Double> m = new HashMap<>();
    for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
      m.put(r.getAs("id").toString(), (double) r.<Float>getAs("bias"));
    }
    return m;
  }
}
