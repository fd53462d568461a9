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
import org.apache.spark.sql.Row;
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
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "reg_param=0.01", "max_iter=30"));
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
