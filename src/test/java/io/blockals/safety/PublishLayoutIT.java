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
    // Run b through the record: file system, which logs every create, rename and delete in call order.
    spark.sparkContext().hadoopConfiguration().set("fs.record.impl", RecordingFileSystem.class.getName());
    RecordingFileSystem.clear();
    TrainJob.run(spark, TOY, "record://" + root, config("atomic_rename=false", "layout=dated", "run_id=b",
        "max_iter=1"));
    List<String> log = RecordingFileSystem.log();
    assertThat(names(root)).containsExactly("LATEST", "run=a", "run=b");
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo("run=b\n");
    assertThat(isCompleteModel(root.resolve("run=a"))).isTrue();
    assertThat(isCompleteModel(root.resolve("run=b"))).isTrue();
    // The model reaches run=b by one directory rename (a copy of every object on a store); the marker is written
    // into it after that, nothing touches run=b after the marker, and LATEST moves last. A reader that trusts
    // _SUCCESS or LATEST finds everything else in place.
    String runDir = root.resolve("run=b").toString();
    int success = log.lastIndexOf("create " + runDir + "/_SUCCESS");
    assertThat(success).as("_SUCCESS written, in %s", log).isNotNegative();
    int moved = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).startsWith("rename ") && log.get(i).endsWith(" -> " + runDir)) {
        moved = i;
      }
    }
    assertThat(moved).as("model moved into run=b before the marker, in %s", log).isNotNegative()
        .isLessThan(success);
    String staging = log.get(moved).substring("rename ".length(), log.get(moved).indexOf(" -> "));
    for (String part : List.of("/model.json", "/user_factors/", "/item_factors/")) {
      int written = -1;
      for (int i = 0; i < moved; i++) {
        if (log.get(i).startsWith("create " + staging + "/") && log.get(i).contains(part)) {
          written = i;
        }
      }
      assertThat(written).as("%s written into %s before the move, in %s", part, staging, log).isNotNegative();
    }
    for (String e : log.subList(success + 1, log.size())) {
      assertThat(e).as("after the marker").doesNotContain(runDir + "/").doesNotEndWith(" " + runDir);
    }
    int latest = log.lastIndexOf("create " + root.resolve("LATEST"));
    assertThat(latest).as("LATEST written after the marker, in %s", log).isGreaterThan(success);
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
    for (String bad : List.of("../x", "a/b", ".hidden", "_x")) {
      assertThatThrownBy(() -> config("layout=dated", "run_id=" + bad)).isInstanceOf(BlockalsException.class)
          .hasMessageContaining("run_id")
          .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    }
    assertThatThrownBy(() -> config("layout=daily")).isInstanceOf(BlockalsException.class)
        .hasMessageContaining("plain or dated");
  }

  @Test
  void anEmptyRunIdMeansAGeneratedOne() throws Exception {
    // run_id = "" (or blanks) is no run id: the job generates one, as when the key is absent.
    assertThat(config("layout=dated", "run_id=").publish().runId()).isNull();
    assertThat(config("layout=dated", "run_id=  ").publish().runId()).isNull();
    Path root = sparkTmp.resolve("dated-empty-id");
    TrainJob.Outcome o = TrainJob.run(spark, TOY, root.toString(), config("layout=dated", "run_id=", "rank=2",
        "max_iter=1"));
    List<String> runs = names(root).stream().filter(n -> n.startsWith("run=")).toList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0)).isNotEqualTo("run=").matches("run=[A-Za-z0-9][A-Za-z0-9._-]*");
    assertThat(o.modelPath()).endsWith("/" + runs.get(0));
    assertThat(Files.readString(root.resolve("LATEST"))).isEqualTo(runs.get(0) + "\n");
    assertThat(modelJson(root.resolve(runs.get(0))).get("run_id")).isEqualTo(runs.get(0).substring(4));
  }
}
