package io.blockals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * split, train and evaluate chained on the command line, as a user runs them: the printed metrics and the JSON file
 * carry the same names and values. Each command creates and stops its own SparkSession.
 */
class MeasureCommandsIT {
  private static final String[] LOCAL = {"--master", "local[2]", "--spark-conf", "spark.ui.enabled=false",
      "--spark-conf", "spark.driver.host=127.0.0.1", "--spark-conf", "spark.sql.shuffle.partitions=4"};

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

  private int run(String... a) {
    String[] all = new String[a.length + LOCAL.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(LOCAL, 0, all, a.length, LOCAL.length);
    out.reset();
    return Main.execute(all);
  }

  @Test
  @SuppressWarnings("unchecked")
  void splitTrainEvaluateAndTheJsonMatchesThePrintedLines() throws Exception {
    Path split = tmp.resolve("split");
    assertThat(run("split", "--input", "data/implicit/train.csv", "--output", split.toString(), "--method", "time",
        "--leave-out", "1")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("split written to");

    Path model = tmp.resolve("model");
    assertThat(run("train", "--input", split.resolve("train").toString(), "--output", model.toString(),
        "--set", "implicit=true", "--set", "rank=4", "--set", "max_iter=3")).as(err.toString(StandardCharsets.UTF_8))
        .isZero();

    Path json = tmp.resolve("metrics.json");
    assertThat(run("evaluate", "--model", model.toString(), "--test", split.resolve("test").toString(), "--train",
        split.resolve("train").toString(), "--k", "20", "--json", json.toString()))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    // the metric lines; the test log configuration also prints log lines on stdout
    List<String> printed = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.matches("[a-z_]+(@\\d+)? \\S+")).toList();
    assertThat(printed).anyMatch(l -> l.matches("recall@20 0\\.\\d{6}")).anyMatch(l -> l.startsWith("auc "))
        .noneMatch(l -> l.startsWith("rmse"));

    Map<String, Object> values = new ObjectMapper().readValue(json.toFile(), LinkedHashMap.class);
    List<String> fromJson = new ArrayList<>();
    values.forEach((name, v) -> fromJson.add(name + " " + (v == null ? "NaN"
        : v instanceof Double ? String.format(Locale.ROOT, "%.6f", v) : v)));
    assertThat(fromJson).containsExactlyElementsOf(printed);
  }
}
