package io.blockals.safety;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.find;
import static io.blockals.safety.Dirs.isCompleteModel;
import static io.blockals.safety.Dirs.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.job.TrainJob;
import io.blockals.model.ModelCommitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The driver killed with SIGKILL (no shutdown hook runs) at a known point, reached without timing: a child JVM runs
 * {@code blockals train} against the {@code stall:} file system ({@link StallingFileSystem}), which freezes it there.
 * Then: the published model is intact and readable, no partial directory carries {@code _SUCCESS}, and the next run
 * cleans up (or, for a death mid-swap, restores the previous model).
 */
class DriverKillIT extends SparkTestBase {

  private static ChildJvm startStalledTrain(Path model, Path marker, String stallKey, String stallAt)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "--input", "data/sample/train.csv",
        "--output", "stall://" + model, "--set", "rank=4", "--set", "max_iter=2", "--master", "local[2]"));
    for (String c : List.of("spark.ui.enabled=false", "spark.driver.host=127.0.0.1",
        "spark.sql.shuffle.partitions=4", "spark.hadoop.fs.stall.impl=" + StallingFileSystem.class.getName(),
        "spark.hadoop.fs.stall.impl.disable.cache=true", "spark.hadoop.fs.stall.marker=" + marker,
        "spark.hadoop.fs.stall." + stallKey + "=" + stallAt)) {
      args.add("--spark-conf");
      args.add(c);
    }
    ChildJvm child = ChildJvm.start(sparkTmp.resolve("logs"), "train-" + model.getFileName(), "1g", List.of(),
        Map.of(), "io.blockals.cli.Main", args);
    child.awaitCondition("the stall point " + stallAt, () -> Files.exists(marker));
    return child;
  }

  private static List<String> hiddenBeside(Path model) throws Exception {
    return names(model.getParent()).stream().filter(n -> n.startsWith("." + model.getFileName() + ".")).toList();
  }

  @Test
  void killedWhileWritingTheItemFactorsLeavesThePublishedModelAndTheNextRunCleansUp() throws Exception {
    Path model = sparkTmp.resolve("published");
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "max_iter=2"));
    byte[] json = Files.readAllBytes(model.resolve("model.json"));
    long users = spark.read().parquet(model.resolve("user_factors").toString()).count();

    Path marker = sparkTmp.resolve("stalled-write");
    int code;
    // A block's task writes its factor file under a hidden name first (model.FactorFiles): stall at the first item one.
    try (ChildJvm child = startStalledTrain(model, marker, "create", "item_factors/.part-")) {
      // Frozen in the middle of writing: staging exists and is partial.
      List<String> staging = hiddenBeside(model).stream().filter(n -> n.contains("._staging-")).toList();
      assertThat(staging).as(child.output()).hasSize(1);
      assertThat(Files.readString(marker)).contains("item_factors/.part-");
      // Both table folders exist (made before the write job); no _SUCCESS anywhere in staging.
      Path stagingDir = model.getParent().resolve(staging.get(0));
      assertThat(stagingDir.resolve("user_factors")).isDirectory();
      assertThat(find(stagingDir, "_SUCCESS")).isEmpty();
      child.process.destroyForcibly();
      code = child.awaitExit();
    }
    assertThat(code).as("SIGKILL").isEqualTo(128 + 9);

    // Nothing lost: the published model is byte-for-byte the one before, complete and readable.
    assertThat(Files.readAllBytes(model.resolve("model.json"))).isEqualTo(json);
    assertThat(isCompleteModel(model)).isTrue();
    assertThat(spark.read().parquet(model.resolve("user_factors").toString()).count()).isEqualTo(users);
    // Nothing half-written is trusted: the dead run's folders carry no _SUCCESS.
    List<String> leftovers = hiddenBeside(model);
    assertThat(leftovers).anyMatch(n -> n.contains("._staging-"));
    for (String n : leftovers) {
      assertThat(find(model.getParent().resolve(n), "_SUCCESS")).as(n).isEmpty();
    }

    // The next run removes them and publishes.
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=3", "max_iter=2"));
    assertThat(hiddenBeside(model)).isEmpty();
    assertThat(isCompleteModel(model)).isTrue();
    assertThat(Files.readAllBytes(model.resolve("model.json"))).isNotEqualTo(json);
  }

  @Test
  void killedMidSwapThePreviousModelIsPutBackByTheNextRun() throws Exception {
    Path model = sparkTmp.resolve("swapped");
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "max_iter=2"));
    byte[] json = Files.readAllBytes(model.resolve("model.json"));

    Path marker = sparkTmp.resolve("stalled-swap");
    try (ChildJvm child = startStalledTrain(model, marker, "rename", ".swapped._previous-")) {
      // The worst moment: the old model has been moved aside and the new one is not in place yet.
      assertThat(model).as(child.output()).doesNotExist();
      child.process.destroyForcibly();
      assertThat(child.awaitExit()).isEqualTo(128 + 9);
    }
    List<String> previous = hiddenBeside(model).stream().filter(n -> n.contains("._previous-")).toList();
    assertThat(previous).hasSize(1);
    assertThat(Files.readAllBytes(model.getParent().resolve(previous.get(0)).resolve("model.json"))).isEqualTo(json);

    // Preparing the next run restores it before anything else (a reader would also find it there by name).
    ModelCommitter next = ModelCommitter.prepare(model.toString(), new Configuration());
    assertThat(Files.readAllBytes(model.resolve("model.json"))).isEqualTo(json);
    assertThat(isCompleteModel(model)).isTrue();
    next.abort();
    assertThat(hiddenBeside(model)).isEmpty();
  }
}
