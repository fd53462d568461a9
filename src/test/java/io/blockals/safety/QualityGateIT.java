package io.blockals.safety;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.isCompleteModel;
import static io.blockals.safety.Dirs.modelJson;
import static io.blockals.safety.Dirs.names;
import static io.blockals.safety.Dirs.validationRmse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.job.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quality gate against the published model's recorded validation RMSE, on the shipped sample (planted rank-5
 * factors with noise 0.3). One ALS iteration at rank 1 is far from the optimum; eight at rank 5 are near the noise
 * floor, so the better and the worse model are known before either is trained.
 */
class QualityGateIT extends SparkTestBase {
  private static final String SAMPLE = "data/sample/train.csv";
  private static final String[] WEAK = {"rank=1", "max_iter=1", "validation_fraction=0.1"};
  private static final String[] STRONG = {"rank=5", "max_iter=8", "validation_fraction=0.1"};

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  @SuppressWarnings("unchecked")
  void noPreviousModelPublishesAndSaysWhy() throws Exception {
    Path out = sparkTmp.resolve("gate-first");
    TrainJob.run(spark, SAMPLE, out.toString(), config(with(WEAK, "min_improvement=0.05")));
    assertThat(isCompleteModel(out)).isTrue();
    Map<String, Object> gate = (Map<String, Object>) modelJson(out).get("quality_gate");
    assertThat(gate).containsEntry("decision", "published: no previous model").containsEntry("min_improvement", 0.05);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBetterModelPassesTheGateAndIsPublished() throws Exception {
    Path out = sparkTmp.resolve("gate-pass");
    TrainJob.run(spark, SAMPLE, out.toString(), config(WEAK));
    double before = validationRmse(out);
    String firstRun = (String) modelJson(out).get("run_id");
    TrainJob.run(spark, SAMPLE, out.toString(), config(with(STRONG, "min_improvement=0.05")));
    double after = validationRmse(out);
    assertThat(after).isLessThanOrEqualTo(before * 0.95);
    Map<String, Object> gate = (Map<String, Object>) modelJson(out).get("quality_gate");
    assertThat(gate).containsEntry("decision", "published").containsEntry("previous_run_id", firstRun);
    assertThat(((Number) gate.get("previous")).doubleValue()).isEqualTo(before);
    assertThat(((Number) gate.get("threshold")).doubleValue()).isEqualTo(before * (1 - 0.05));
    assertThat(names(out.getParent()).stream().filter(n -> n.startsWith(".gate-pass"))).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aWorseModelIsRefusedWithExitFourAndKeptForInspection() throws Exception {
    Path out = sparkTmp.resolve("gate-refuse");
    TrainJob.run(spark, SAMPLE, out.toString(), config(STRONG));
    byte[] publishedJson = Files.readAllBytes(out.resolve("model.json"));
    List<String> publishedParts = names(out.resolve("user_factors"));
    double published = validationRmse(out);

    BlockalsException e = catchThrowableOfType(BlockalsException.class,
        () -> TrainJob.run(spark, SAMPLE, out.toString(), config(with(WEAK, "max_regression=0.02"))));
    assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_QUALITY_GATE);
    assertThat(e.getMessage()).contains("quality gate refused").contains("nothing was published")
        .contains("max_regression 0.02").contains(String.format("%.6f", published));

    // The published model is untouched.
    assertThat(Files.readAllBytes(out.resolve("model.json"))).isEqualTo(publishedJson);
    assertThat(names(out.resolve("user_factors"))).isEqualTo(publishedParts);
    assertThat(isCompleteModel(out)).isTrue();
    // The refused one is complete, where the message says, and says why.
    List<String> rejected = names(out.getParent()).stream().filter(n -> n.startsWith(".gate-refuse._rejected-"))
        .toList();
    assertThat(rejected).hasSize(1);
    Path kept = out.getParent().resolve(rejected.get(0));
    assertThat(e.getMessage()).contains(kept.toString());
    assertThat(isCompleteModel(kept)).isTrue();
    assertThat(validationRmse(kept)).isGreaterThan(published * 1.02);
    assertThat((Map<String, Object>) modelJson(kept).get("quality_gate")).containsEntry("decision", "refused");
    assertThat(names(out.getParent()).stream().filter(n -> n.startsWith(".gate-refuse._staging"))).isEmpty();

    // A second refusal replaces the first kept model; a published run removes it.
    BlockalsException second = catchThrowableOfType(BlockalsException.class,
        () -> TrainJob.run(spark, SAMPLE, out.toString(), config(with(WEAK, "max_regression=0.02"))));
    assertThat(second).as("the second weak run must be refused too").isNotNull();
    assertThat(second.exitCode()).isEqualTo(BlockalsException.EXIT_QUALITY_GATE);
    assertThat(second.getMessage()).contains("quality gate refused").contains("nothing was published")
        .contains(String.format("%.6f", published));
    List<String> rejectedAgain = names(out.getParent()).stream()
        .filter(n -> n.startsWith(".gate-refuse._rejected-")).toList();
    assertThat(rejectedAgain).hasSize(1).doesNotContain(rejected.get(0));
    assertThat(second.getMessage()).contains(out.getParent().resolve(rejectedAgain.get(0)).toString());
    assertThat(Files.readAllBytes(out.resolve("model.json"))).isEqualTo(publishedJson);
    TrainJob.run(spark, SAMPLE, out.toString(), config(with(STRONG, "max_regression=0.02")));
    assertThat(names(out.getParent()).stream().filter(n -> n.startsWith(".gate-refuse."))).isEmpty();
  }

  @Test
  void theGateFollowsLatestInTheDatedLayout() throws Exception {
    Path root = sparkTmp.resolve("gate-dated");
    TrainJob.run(spark, SAMPLE, root.toString(), config(with(STRONG, "layout=dated", "run_id=d1")));
    BlockalsException e = catchThrowableOfType(BlockalsException.class,
        () -> TrainJob.run(spark, SAMPLE, root.toString(), config(with(WEAK, "layout=dated", "run_id=d2",
            "min_improvement=0"))));
    assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_QUALITY_GATE);
    assertThat(e.getMessage()).contains("run d1");
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=d1\n");
    assertThat(names(root)).contains("LATEST", "run=d1").doesNotContain("run=d2");
  }

  @Test
  void aGateWithoutAValidationSplitIsAUsageError() {
    BlockalsException e = catchThrowableOfType(BlockalsException.class, () -> config("min_improvement=0.01"));
    assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(e.getMessage()).contains("validation_fraction");
    e = catchThrowableOfType(BlockalsException.class,
        () -> config("validation_fraction=0.1", "min_improvement=0.01", "max_regression=0.1"));
    assertThat(e.getMessage()).contains("not both");
  }
}
