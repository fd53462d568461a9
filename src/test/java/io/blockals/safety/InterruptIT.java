package io.blockals.safety;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.isCompleteModel;
import static io.blockals.safety.Dirs.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.job.TrainJob;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C and a scheduler's SIGTERM during training: a child JVM runs {@code blockals train} with many iterations and
 * is signalled once it has logged its second one. The shutdown hook stops Spark and removes staging and checkpoints;
 * the exit is non-zero (128 + signal) and the published model is untouched.
 */
class InterruptIT extends SparkTestBase {

  @Test
  void sigtermStopsSparkAndCleansStaging() throws Exception {
    interrupt("TERM", 15, List.of());
  }

  @Test
  void sigintStopsSparkAndCleansStaging() throws Exception {
    // A JVM whose parent ignores SIGINT (a background job of a non-interactive shell, as under many CI runners)
    // inherits that and installs no handler. The child is then started through `env --default-signal=INT`, which
    // restores the default disposition before it execs java, as an interactive terminal would have it.
    List<String> launcher = List.of();
    if (sigintIgnored()) {
      launcher = List.of("env", "--default-signal=INT");
      Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
      String said = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(probe.waitFor()).as("SIGINT is ignored in this JVM and `env --default-signal=INT` (GNU coreutils"
          + " 8.31 or later) is needed to restore it for the child: %s", said).isZero();
    }
    interrupt("INT", 2, launcher);
  }

  private static boolean sigintIgnored() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return new BigInteger(line.substring(7).trim(), 16).testBit(1);
      }
    }
    return false;
  }

  private void interrupt(String signal, int number, List<String> launcher) throws Exception {
    Path model = sparkTmp.resolve("model-" + signal);
    TrainJob.run(spark, "data/toy/ratings.csv", model.toString(), config("rank=2", "max_iter=2"));
    byte[] json = Files.readAllBytes(model.resolve("model.json"));

    List<String> args = List.of("train", "--input", "data/sample/train.csv", "--output", model.toString(),
        "--set", "rank=4", "--set", "max_iter=400", "--set", "checkpoint_interval=2", "--master", "local[2]",
        "--spark-conf", "spark.ui.enabled=false", "--spark-conf", "spark.driver.host=127.0.0.1",
        "--spark-conf", "spark.sql.shuffle.partitions=4");
    int code;
    String err;
    try (ChildJvm child = ChildJvm.start(launcher, sparkTmp.resolve("logs"), "interrupt-" + signal, "1g",
        List.of(), Map.of(), "io.blockals.cli.Main", args)) {
      child.awaitCondition("iteration 3 logged", () -> child.stdoutContains("iteration 3/400"));
      // Mid-training: staging and the checkpoint folder exist.
      assertThat(hidden(model)).as(child.output()).anyMatch(n -> n.contains("._staging-"))
          .anyMatch(n -> n.contains("._checkpoints-"));
      child.signal(signal);
      code = child.awaitExit();
      err = child.err();
      assertThat(child.stdoutContains("iteration 400/400")).as("interrupted during training").isFalse();
    }
    assertThat(code).as(err).isEqualTo(128 + number);
    assertThat(err.lines().filter(l -> l.startsWith("blockals:")))
        .containsExactly("blockals: interrupted: Spark session stopped, unfinished run " + runId(err)
            + " removed; nothing was published and the published model, if any, is unchanged");
    assertThat(hidden(model)).as("staging and checkpoints removed").isEmpty();
    assertThat(Files.readAllBytes(model.resolve("model.json"))).isEqualTo(json);
    assertThat(isCompleteModel(model)).isTrue();
  }

  /** The run id, from the one line (generated ids are a UTC stamp and a hex suffix). */
  private static String runId(String err) {
    Matcher m = Pattern.compile("unfinished run (\\d{8}T\\d{6}Z-[0-9a-f]{4}) ")
        .matcher(err);
    return m.find() ? m.group(1) : "(no run id in: " + err + ")";
  }

  private static List<String> hidden(Path model) throws Exception {
    return names(model.getParent()).stream().filter(n -> n.startsWith("." + model.getFileName() + ".")).toList();
  }
}
