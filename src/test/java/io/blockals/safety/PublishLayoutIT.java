package io.blockals.safety;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.isCompleteModel;
import static io.blockals.safety.Dirs.modelJson;
import static io.blockals.safety.Dirs.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.job.TrainJob;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Publishing layouts: the dated layout for schedulers (run=<id>/ plus LATEST), a same-run-id re-run, the
 * object-store publish path (no atomic rename: marker written last) exercised on the local file system, and refusals
 * that protect a folder that is not ours.
 */
class PublishLayoutIT extends SparkTestBase {
  private static final String TOY = "data/toy/ratings.csv";

  @Test
  void datedLayoutKeepsEveryRunAndPointsLatestAtTheNewest() throws Exception {
    Path root = sparkTmp.resolve("dated");
    TrainJob.Outcome first = TrainJob.run(spark, TOY, root.toString(),
        config("layout=dated", "run_id=20250130", "rank=2", "max_iter=2"));
    assertThat(first.modelPath()).endsWith("/dated/run=20250130");
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=20250130\n");
    TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=20250131", "rank=2", "max_iter=2"));

    assertThat(names(root)).containsExactly("LATEST", "run=20250130", "run=20250131");
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=20250131\n");
    assertThat(isCompleteModel(root.resolve("run=20250130"))).isTrue();
    assertThat(isCompleteModel(root.resolve("run=20250131"))).isTrue();
    assertThat(modelJson(root.resolve("run=20250131")).get("run_id")).isEqualTo("20250131");
    // What evaluate and score open when handed the root.
    assertThat(ModelFormat.resolve(root.toString(), new Configuration())).endsWith("/run=20250131");
    assertThat(PublishedModel.open(spark, root.toString()).json().get("run_id")).isEqualTo("20250131");
    assertThat(PublishedModel.open(spark, root.toString()).users().count()).isEqualTo(3);
  }

  @Test
  void generatedRunIdsAddRunsWithoutTouchingOlderOnes() throws Exception {
    Path root = sparkTmp.resolve("dated-generated");
    TrainJob.Outcome a = TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "rank=2", "max_iter=1"));
    byte[] aJson = Files.readAllBytes(Path.of(a.modelPath().replace("file:", "")).resolve("model.json"));
    TrainJob.Outcome b = TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "rank=2", "max_iter=1"));
    assertThat(b.modelPath()).isNotEqualTo(a.modelPath());
    List<String> runs = names(root).stream().filter(n -> n.startsWith("run=")).toList();
    assertThat(runs).hasSize(2);
    assertThat(Files.readString(root.resolve("LATEST")).trim()).isEqualTo(Path.of(b.modelPath()).getFileName()
        .toString());
    assertThat(Files.readAllBytes(Path.of(a.modelPath().replace("file:", "")).resolve("model.json")))
        .isEqualTo(aJson);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aReRunWithTheSameRunIdReplacesItsOutputCleanly() throws Exception {
    Path root = sparkTmp.resolve("dated-rerun");
    TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=nightly-7", "rank=2", "max_iter=2"));
    TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=other", "rank=2", "max_iter=2"));
    // A retry of run nightly-7, with different settings so the replacement is visible.
    TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=nightly-7", "rank=3", "max_iter=2"));

    Path run = root.resolve("run=nightly-7");
    assertThat(isCompleteModel(run)).isTrue();
    assertThat(((Map<String, Object>) modelJson(run).get("params")).get("rank")).isEqualTo(3);
    try (var parts = Files.list(run.resolve("user_factors"))) {
      // Only the second run's files: a merge of the two writes would show up as extra Parquet parts of rank 2.
      assertThat(spark.read().parquet(run.resolve("user_factors").toString()).selectExpr("size(features)")
          .distinct().collectAsList()).hasSize(1);
      assertThat(parts.count()).isPositive();
    }
    assertThat(spark.read().parquet(run.resolve("user_factors").toString()).count()).isEqualTo(3);
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=nightly-7\n");
    assertThat(names(root)).as("no staging, previous or pointer leftovers")
        .containsExactly("LATEST", "run=nightly-7", "run=other");
  }

  @Test
  @SuppressWarnings("unchecked")
  void withoutAtomicRenameThePublishEndsWithTheMarkerAndLeavesNothingBehind() throws Exception {
    // The object-store path (s3a, gs, abfs), forced on the local file system.
    Path plain = sparkTmp.resolve("store-plain");
    TrainJob.run(spark, TOY, plain.toString(), config("atomic_rename=false", "rank=2", "max_iter=1"));
    TrainJob.run(spark, TOY, plain.toString(), config("atomic_rename=false", "rank=3", "max_iter=1"));
    assertThat(isCompleteModel(plain)).isTrue();
    assertThat(((Map<String, Object>) modelJson(plain).get("params")).get("rank")).isEqualTo(3);
    assertThat(spark.read().parquet(plain.resolve("user_factors").toString()).selectExpr("size(features)")
        .distinct().collectAsList()).hasSize(1);
    assertThat(names(plain.getParent()).stream().filter(n -> n.startsWith(".store-plain"))).isEmpty();

    Path root = sparkTmp.resolve("store-dated");
    TrainJob.run(spark, TOY, root.toString(), config("atomic_rename=false", "layout=dated", "run_id=a",
        "max_iter=1"));
    TrainJob.run(spark, TOY, root.toString(), config("atomic_rename=false", "layout=dated", "run_id=a",
        "max_iter=1"));
    TrainJob.run(spark, TOY, root.toString(), config("atomic_rename=false", "layout=dated", "run_id=b",
        "max_iter=1"));
    assertThat(names(root)).containsExactly("LATEST", "run=a", "run=b");
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=b\n");
    assertThat(isCompleteModel(root.resolve("run=a"))).isTrue();
    assertThat(isCompleteModel(root.resolve("run=b"))).isTrue();
    // The marker is the newest file of the run: everything else was in place before it.
    long success = Files.getLastModifiedTime(root.resolve("run=b/_SUCCESS")).toMillis();
    assertThat(Files.getLastModifiedTime(root.resolve("run=b/model.json")).toMillis()).isLessThanOrEqualTo(success);
    assertThat(Files.getLastModifiedTime(root.resolve("LATEST")).toMillis()).isGreaterThanOrEqualTo(success);
  }

  @Test
  void refusesAFolderOfSomethingElseAsADatedRoot() throws Exception {
    Path root = sparkTmp.resolve("photos");
    Files.createDirectories(root);
    Files.writeString(root.resolve("holiday.jpg"), "not a model");
    assertThatThrownBy(() -> TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "max_iter=1")))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("holiday.jpg")
        .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(names(root)).containsExactly("holiday.jpg");
    try (var s = Files.list(root.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains("photos"))).containsExactly("photos");
    }
  }

  @Test
  void refusesToMixTheLayouts() throws Exception {
    Path plain = sparkTmp.resolve("mix-plain");
    TrainJob.run(spark, TOY, plain.toString(), config("rank=2", "max_iter=1"));
    byte[] json = Files.readAllBytes(plain.resolve("model.json"));
    assertThatThrownBy(() -> TrainJob.run(spark, TOY, plain.toString(), config("layout=dated", "max_iter=1")))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("plain model directory")
        .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(Files.readAllBytes(plain.resolve("model.json"))).isEqualTo(json);

    Path root = sparkTmp.resolve("mix-dated");
    TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=x", "max_iter=1"));
    assertThatThrownBy(() -> TrainJob.run(spark, TOY, root.toString(), config("max_iter=1")))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("layout=dated")
        .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(names(root)).containsExactly("LATEST", "run=x");
  }

  @Test
  void aRunIdThatCouldEscapeTheRootIsAUsageError() {
    for (String bad : List.of("../x", "a/b", ".hidden", "_x", "")) {
      if (bad.isEmpty()) {
        continue;
      }
      assertThatThrownBy(() -> config("layout=dated", "run_id=" + bad)).isInstanceOf(BlockalsException.class)
          .hasMessageContaining("run_id")
          .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    }
    assertThatThrownBy(() -> config("layout=daily")).isInstanceOf(BlockalsException.class)
        .hasMessageContaining("plain or dated");
  }
}
