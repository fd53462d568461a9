package io.blockals.job;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.modelJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.data.RatingsInput;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** {@code tolerance} and {@code patience} through the train job, and what model.json says about them. */
class EarlyStoppingIT extends SparkTestBase {

  private static Path csv(String name, PlantedData d) throws IOException {
    List<String> lines = new ArrayList<>(List.of("user,item,rating"));
    for (int j = 0; j < d.numTrain(); j++) {
      lines.add(d.userId(d.trainUser()[j]) + "," + d.itemId(d.trainItem()[j]) + "," + d.trainRating()[j]);
    }
    Path p = sparkTmp.resolve(name);
    Files.write(p, lines);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> history(Map<String, Object> json) {
    return (List<Map<String, Object>>) json.get("history");
  }

  private static double number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void onConvergedDataToleranceStopsBeforeMaxIter() throws Exception {
    // Planted rank 3, well determined (~30 ratings per user): ALS converges in a handful of iterations.
    PlantedData d = SyntheticGenerator.generate(GeneratorSpec.denseUniform(200, 120, 0.25, 3, 0.3, 31L));
    Path out = sparkTmp.resolve("tolerance");
    TrainJob.Outcome o = TrainJob.run(spark, csv("converged.csv", d).toString(), out.toString(),
        config("rank=3", "max_iter=40", "tolerance=1e-4"));
    Map<String, Object> json = modelJson(out);
    List<Map<String, Object>> history = history(json);
    System.out.printf("tolerance 1e-4: stopped after %d of 40 iterations%n", history.size());
    assertThat(json.get("stop_reason")).isEqualTo("tolerance");
    assertThat(history.size()).isLessThan(40).isGreaterThan(2);
    assertThat(json.get("best_iteration")).isEqualTo(history.size());
    assertThat(((Map<String, Object>) json.get("params")).get("iterations")).isEqualTo(history.size());
    assertThat(o.stopReason()).isEqualTo("tolerance");
    for (int t = 1; t < history.size(); t++) {
      double before = number(history.get(t - 1), "train_loss");
      double decrease = (before - number(history.get(t), "train_loss")) / before;
      if (t < history.size() - 1) {
        assertThat(decrease).as("iteration %d", t + 1).isGreaterThanOrEqualTo(1e-4);
      } else {
        assertThat(decrease).as("the last iteration").isLessThan(1e-4);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void withPatienceThePublishedFactorsAreThoseOfTheBestIteration() throws Exception {
    // Rank 8 on planted rank 3 with almost no regularisation (~24 training ratings per user) overfits: the validation
    // RMSE falls for a few iterations, then rises as the extra features fit the noise.
    PlantedData d = SyntheticGenerator.generate(GeneratorSpec.denseUniform(200, 120, 0.25, 3, 0.5, 37L));
    Path input = csv("overfits.csv", d);
    Path out = sparkTmp.resolve("patience");
    TrainJob.run(spark, input.toString(), out.toString(), config("rank=8", "reg_param=0.001", "max_iter=30",
        "validation_fraction=0.2", "patience=2", "num_user_blocks=2", "num_item_blocks=3"));
    Map<String, Object> json = modelJson(out);
    List<Map<String, Object>> history = history(json);
    int best = (Integer) json.get("best_iteration");
    System.out.printf("patience 2: stopped after %d of 30 iterations, best iteration %d%n", history.size(), best);
    assertThat(json.get("stop_reason")).isEqualTo("validation");
    assertThat(history.size()).isEqualTo(best + 2);
    double bestRmse = number(history.get(best - 1), "validation_rmse");
    for (Map<String, Object> h : history) {
      assertThat(number(h, "validation_rmse")).isGreaterThanOrEqualTo(bestRmse);
    }
    assertThat(number(history.get(history.size() - 1), "validation_rmse")).isGreaterThan(bestRmse);

    // The held-out pairs, chosen as the job chooses them, scored with the published tables by the contract's formula.
    PairSplit split = new PairSplit(42L, 0.2);
    List<Row> held = new ArrayList<>();
    for (int j = 0; j < d.numTrain(); j++) {
      String u = d.userId(d.trainUser()[j]);
      String i = d.itemId(d.trainItem()[j]);
      if (split.isValidation(u, i)) {
        held.add(RowFactory.create(u, i, Double.parseDouble(String.valueOf(d.trainRating()[j])), null, (long) j));
      }
    }
    Dataset<Row> pairs = spark.createDataFrame(held, RatingsInput.RATINGS_SCHEMA);
    Dataset<Row> users = spark.read().parquet(out.resolve("user_factors").toString());
    Dataset<Row> items = spark.read().parquet(out.resolve("item_factors").toString());
    Scoring.Metrics m = Scoring.evaluate(pairs, users, items, number(json, "global_mean"));
    assertThat(m.count()).isEqualTo(held.size());
    assertThat(m.rmse()).as("published factors vs history at best_iteration")
        .isCloseTo(bestRmse, org.assertj.core.data.Offset.offset(1e-9 * bestRmse));
    assertThat(number((Map<String, Object>) json.get("metrics"), "validation_rmse"))
        .isCloseTo(bestRmse, org.assertj.core.data.Offset.offset(1e-9 * bestRmse));
  }

  @Test
  void aValidationSetPutsItsRmseInEveryHistoryEntryAndOffChangesNothing() throws Exception {
    PlantedData d = SyntheticGenerator.generate(GeneratorSpec.denseUniform(150, 100, 0.2, 3, 0.3, 41L));
    Path input = csv("plain.csv", d);
    Path with = sparkTmp.resolve("with-validation");
    TrainJob.run(spark, input.toString(), with.toString(), config("rank=3", "max_iter=5", "validation_fraction=0.1"));
    Map<String, Object> json = modelJson(with);
    assertThat(json.get("stop_reason")).isEqualTo("max_iter");
    assertThat(json.get("best_iteration")).isEqualTo(5);
    for (Map<String, Object> h : history(json)) {
      assertThat(number(h, "validation_rmse")).isBetween(0.2, 1.5);
    }
    @SuppressWarnings("unchecked")
    double metric = number((Map<String, Object>) json.get("metrics"), "validation_rmse");
    assertThat(number(history(json).get(4), "validation_rmse"))
        .isCloseTo(metric, org.assertj.core.data.Offset.offset(1e-9 * metric));
    Path without = sparkTmp.resolve("without-validation");
    TrainJob.run(spark, input.toString(), without.toString(), config("rank=3", "max_iter=5"));
    assertThat(history(modelJson(without)).get(0)).doesNotContainKey("validation_rmse");
  }
}
