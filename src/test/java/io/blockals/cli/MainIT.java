package io.blockals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.BlockalsException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a scheduler sees it: exit codes and the one-line messages on stderr. Each command creates and
 * stops its own SparkSession, so this class does not share one.
 */
class MainIT {
  @TempDir
  Path tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream oldErr;
  private PrintStream oldOut;

  @BeforeEach
  void capture() {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static final String[] LOCAL = {"--master", "local[2]", "--spark-conf", "spark.ui.enabled=false",
      "--spark-conf", "spark.driver.host=127.0.0.1", "--spark-conf", "spark.sql.shuffle.partitions=4"};

  private static String[] args(String... a) {
    String[] all = new String[a.length + LOCAL.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(LOCAL, 0, all, a.length, LOCAL.length);
    return all;
  }

  @Test
  void trainThenEvaluateOnTheSample() throws Exception {
    Path model = tmp.resolve("model");
    int code = Main.execute(args("train", "--input", "data/sample/train.csv", "--output", model.toString()));
    assertThat(code).as(stderr()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("model written to").contains("train RMSE");
    assertThat(model.resolve("_SUCCESS")).exists();
    out.reset();
    code = Main.execute(args("evaluate", "--model", model.toString(), "--test", "data/sample/test.csv"));
    assertThat(code).as(stderr()).isZero();
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(report).containsPattern("rmse \\d+\\.\\d+").contains("count 5964");
    double rmse = Double.parseDouble(report.lines().filter(l -> l.startsWith("rmse ")).findFirst().orElseThrow()
        .substring(5));
    // The default settings. Below by the planted noise (noise_floor of data/sample/generator.json; 0.9 of it allows
    // for sampling error); above by half-way from the noise floor to the test ratings' standard deviation (what a
    // model predicting the global mean scores, 1.27 here). The planted interactions hold most of the variance, so a
    // biases-only model stays far above that line; the defaults score 0.55 (docs/benchmarks.md, "Defaults").
    double floor = io.blockals.Sample.noiseFloor();
    double spread = io.blockals.Sample.ratingStdDev(java.nio.file.Path.of("data/sample/test.csv"));
    assertThat(rmse).as("test RMSE; noise floor %s, rating std %s", floor, spread)
        .isBetween(0.9 * floor, floor + 0.5 * (spread - floor));
  }

  @Test
  void scorePrintsTheFirstPredictionsAndReadsRenamedColumns() throws Exception {
    Path model = tmp.resolve("toy");
    int code = Main.execute(args("train", "--input", "data/toy/ratings.csv", "--output", model.toString(),
        "--set", "rank=2", "--set", "max_iter=3"));
    assertThat(code).as(stderr()).isZero();
    Path pairs = Files.writeString(tmp.resolve("pairs.csv"), "who,what\nU1,M2\nU9,M1\nU2,M3\n");
    out.reset();
    code = Main.execute(args("score", "--model", model.toString(), "--pairs", pairs.toString(), "--output",
        tmp.resolve("scores").toString(), "--user-col", "who", "--item-col", "what", "--show", "2"));
    assertThat(code).as(stderr()).isZero();
    // What the command printed. The tests' log4j config logs to stdout (production's logs to stderr), and when Spark
    // re-creates the console appender while stdout is captured, log records land here too: they are not output.
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> !l.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) .*")).toList();
    // the first two by (user, item); U9 is not in the model and counted as unknown
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("U1\tM2\t-?\\d+\\.\\d{3}");
    assertThat(lines.get(1)).matches("U2\tM3\t-?\\d+\\.\\d{3}");
    assertThat(lines.get(2)).contains("3 rows (3 pairs, 1 with an unknown user or item)");
  }

  @Test
  void anUnknownScorePolicyIsAUsageErrorBeforeSparkStarts() {
    int code = Main.execute(args("score", "--model", tmp.resolve("none").toString(), "--pairs",
        "data/toy/all_cells.csv", "--output", tmp.resolve("s").toString(), "--unknown", "guess"));
    assertThat(code).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(stderr()).contains("guess").contains("drop, nan or baseline");
    assertThat(tmp.resolve("s")).doesNotExist();
  }

  @Test
  void unknownConfigKeyIsAUsageErrorWithASuggestion() {
    int code = Main.execute(args("train", "--input", "data/toy/ratings.csv", "--output",
        tmp.resolve("m").toString(), "--set", "rnak=3"));
    assertThat(code).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(stderr()).contains("unknown config key 'rnak'").contains("did you mean 'rank'");
    assertThat(stderr().lines().count()).as("one line, no stack trace").isEqualTo(1);
  }

  @Test
  void missingInputIsRejectedWithExitThree() {
    int code = Main.execute(args("train", "--input", tmp.resolve("nope.csv").toString(), "--output",
        tmp.resolve("m").toString()));
    assertThat(code).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
    assertThat(stderr()).contains("nope.csv");
    assertThat(tmp.resolve("m")).doesNotExist();
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    int code = Main.execute("train", "--input", "data/toy/ratings.csv");
    assertThat(code).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(stderr()).contains("--output");
  }

  @Test
  void badRowNamesFileAndLine() throws Exception {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "user,item,rating\na,x,1\nb,y,2\nc,z,high\n");
    int code = Main.execute(args("train", "--input", bad.toString(), "--output", tmp.resolve("m").toString()));
    assertThat(code).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
    assertThat(stderr()).contains("bad.csv:4").contains("high");
  }

}
