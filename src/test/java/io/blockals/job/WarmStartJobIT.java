package io.blockals.job;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.modelJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code init_model} through the train job: dated roots, a plain model replaced by its successor, refusals. */
class WarmStartJobIT extends SparkTestBase {
  private static PlantedData planted;
  private static Path day1;
  private static Path day2;

  @BeforeAll
  static void writeInputs() throws IOException {
    planted = SyntheticGenerator.generate(GeneratorSpec.denseUniform(200, 120, 0.15, 3, 0.3, 23L));
    // Day 1 lacks users 180.. (new on day 2); day 2 lacks users ..9 (gone since day 1).
    day1 = csv("day1.csv", j -> planted.trainUser()[j] < 180);
    day2 = csv("day2.csv", j -> planted.trainUser()[j] >= 10);
  }

  private static Path csv(String name, IntPredicate keep) throws IOException {
    List<String> lines = new ArrayList<>(List.of("user,item,rating"));
    for (int j = 0; j < planted.numTrain(); j++) {
      if (keep.test(j)) {
        lines.add(planted.userId(planted.trainUser()[j]) + "," + planted.itemId(planted.trainItem()[j]) + ","
            + planted.trainRating()[j]);
      }
    }
    Path p = sparkTmp.resolve(name);
    Files.write(p, lines);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> json, String key) {
    return (Map<String, Object>) json.get(key);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDatedRunStartsFromTheRunLatestNamesAndARetryFromTheSameOne() throws Exception {
    Path root = sparkTmp.resolve("dated");
    TrainJob.run(spark, day1.toString(), root.toString(),
        config("rank=3", "max_iter=6", "layout=dated", "run_id=day1", "num_user_blocks=2", "num_item_blocks=2"));
    Map<String, Object> before = modelJson(root.resolve("run=day1"));
    List<String> day1Files = listing(root.resolve("run=day1"));

    TrainJob.Outcome o = TrainJob.run(spark, day2.toString(), root.toString(), config("rank=3", "max_iter=2",
        "layout=dated", "run_id=day2", "init_model=" + root, "num_user_blocks=2", "num_item_blocks=2"));
    assertThat(Files.readString(root.resolve("LATEST")).trim()).isEqualTo("run=day2");
    Map<String, Object> json = modelJson(root.resolve("run=day2"));
    Map<String, Object> init = section(json, "init_model");
    assertThat((String) init.get("path")).endsWith("/dated/run=day1");
    assertThat(init.get("run_id")).isEqualTo("day1");
    Map<String, Object> users = (Map<String, Object>) init.get("users");
    assertThat(users).containsEntry("new", 20).containsEntry("dropped", 10).containsEntry("kept", 170);
    assertThat(o.iterations()).isEqualTo(2);
    // The model it started from is untouched.
    assertThat(modelJson(root.resolve("run=day1"))).isEqualTo(before);
    assertThat(listing(root.resolve("run=day1"))).isEqualTo(day1Files);

    // A retry of day 2: LATEST names day 2's first attempt now, but the retry starts where that attempt started.
    TrainJob.run(spark, day2.toString(), root.toString(), config("rank=3", "max_iter=2", "layout=dated",
        "run_id=day2", "init_model=" + root, "num_user_blocks=2", "num_item_blocks=2"));
    Map<String, Object> retried = modelJson(root.resolve("run=day2"));
    assertThat(section(retried, "init_model").get("run_id")).isEqualTo("day1");
    assertThat(retried.get("history").toString().replaceAll("seconds=[0-9.E-]+", ""))
        .isEqualTo(json.get("history").toString().replaceAll("seconds=[0-9.E-]+", ""));
  }

  @Test
  void aPlainModelIsTheStartOfTheRunThatReplacesIt() throws Exception {
    Path model = sparkTmp.resolve("plain");
    TrainJob.run(spark, day1.toString(), model.toString(), config("rank=3", "max_iter=4"));
    String firstRun = (String) modelJson(model).get("run_id");
    TrainJob.run(spark, day2.toString(), model.toString(), config("rank=3", "max_iter=2", "init_model=" + model));
    Map<String, Object> json = modelJson(model);
    assertThat(section(json, "init_model")).containsEntry("run_id", firstRun);
    assertThat(json.get("run_id")).isNotEqualTo(firstRun);
    assertThat(model.resolve("_SUCCESS")).exists();
  }

  @Test
  void aModelOfAnotherRankIsRefusedWithExitTwoAndNothingIsPublished() throws Exception {
    Path model = sparkTmp.resolve("rank3");
    TrainJob.run(spark, day1.toString(), model.toString(), config("rank=3", "max_iter=1"));
    Map<String, Object> before = modelJson(model);
    Path out = sparkTmp.resolve("rank4");
    assertThatThrownBy(() -> TrainJob.run(spark, day2.toString(), out.toString(),
        config("rank=4", "max_iter=1", "init_model=" + model)))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("has rank 3 but this run has rank 4");
    assertThat(out.resolve("_SUCCESS")).doesNotExist();
    assertThat(modelJson(model)).isEqualTo(before);
  }

  @Test
  void aPathThatIsNotAModelIsRefusedWithExitTwo() {
    assertThatThrownBy(() -> TrainJob.run(spark, day2.toString(), sparkTmp.resolve("x").toString(),
        config("rank=3", "max_iter=1", "init_model=" + sparkTmp.resolve("nothing-here"))))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p) + ":" + p.toFile().length()).sorted().toList();
    }
  }
}
