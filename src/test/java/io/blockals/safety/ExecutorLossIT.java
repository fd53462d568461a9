package io.blockals.safety;

import static io.blockals.safety.Dirs.isCompleteModel;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.job.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor loss on a real multi-JVM cluster: {@code local-cluster[2,1,1024]} (a Master and two Workers inside the
 * driver JVM, each Worker starting a separate executor JVM). The driver ({@link ExecutorLossDriver}) runs in a child
 * JVM whose SPARK_HOME is a folder whose {@code jars/} links the test class path's jars, which is how the workers build
 * the executors' class path; the application jar goes to the executors as {@code spark.jars} (classes from the driver's
 * class path alone would make every shipped lambda fail with a SerializedLambda ClassCastException).
 *
 * <p>One executor JVM is killed with SIGKILL after iteration 2 of 6: its cached blocks and shuffle files are gone, so
 * Spark must recompute them from lineage. The job must finish and its factors must equal, bit for bit, those of the
 * same job without the fault (same seed) trained in local mode in this test JVM: the engine's sums run in a fixed
 * order, whatever executor computes them. The input is the first 5000 ratings of the shipped sample.
 */
class ExecutorLossIT extends SparkTestBase {
  @TempDir
  static Path tmp;

  @Test
  void killingAnExecutorMidTrainingGivesTheSameFactors() throws Exception {
    Path sparkHome = tmp.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    for (Path jar : ChildJvm.classPathJars()) {
      String n = jar.getFileName().toString();
      if (!n.startsWith("blockals-") && !n.startsWith("original-blockals-")
          && !Files.exists(sparkHome.resolve("jars").resolve(n))) {
        Files.createSymbolicLink(sparkHome.resolve("jars").resolve(n), jar.toAbsolutePath());
      }
    }
    String appJar = System.getProperty("blockals.app.jar");
    assertThat(appJar).as("system property blockals.app.jar (set by Failsafe)").isNotNull();
    assertThat(Path.of(appJar)).exists();
    Path clean = tmp.resolve("no-fault");
    Path faulty = tmp.resolve("fault");
    List<String> sample = Files.readAllLines(Path.of("data/sample/train.csv"));
    Path ratings = tmp.resolve("ratings-5k.csv");
    Files.write(ratings, sample.subList(0, 5001));
    String input = ratings.toString();
    TrainJob.run(spark, input, clean.toString(), JobConfig.load(null, ExecutorLossDriver.SETTINGS,
        new Configuration()));
    int code;
    String out;
    String stdout;
    try (ChildJvm driver = ChildJvm.start(tmp.resolve("logs"), "driver", "1g", List.of(),
        Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13"), ExecutorLossDriver.class.getName(),
        List.of(input, faulty.toString(), appJar, String.join(" ", ChildJvm.sparkFlags())))) {
      code = driver.awaitExit();
      out = driver.output();
      stdout = Files.readString(driver.stdout);
    }
    assertThat(code).as(out).isZero();
    assertThat(stdout).as(out).contains("EXECUTORS 2").containsPattern("KILLED \\d+").contains("DONE");
    assertThat(stdout).as("Spark saw the executor go").containsPattern("EXECUTORS_REMOVED [1-9]")
        .contains("Lost executor");
    assertThat(isCompleteModel(clean)).isTrue();
    assertThat(isCompleteModel(faulty)).isTrue();
    for (String table : List.of("user_factors", "item_factors")) {
      Map<String, float[]> a = read(clean.resolve(table));
      Map<String, float[]> b = read(faulty.resolve(table));
      assertThat(b.keySet()).isEqualTo(a.keySet());
      assertThat(a).isNotEmpty();
      for (Map.Entry<String, float[]> e : a.entrySet()) {
        assertThat(b.get(e.getKey())).as("%s %s", table, e.getKey()).containsExactly(e.getValue());
      }
    }
  }

  /** id -> features plus bias, read with DuckDB (no Spark in this JVM). */
  private static Map<String, float[]> read(Path dir) throws Exception {
    Map<String, float[]> m = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CAST(id AS VARCHAR), bias, features FROM read_parquet('" + dir
            + "/*.parquet')")) {
      while (rs.next()) {
        Array arr = rs.getArray(3);
        Object[] f = (Object[]) arr.getArray();
        float[] v = new float[f.length + 1];
        for (int k = 0; k < f.length; k++) {
          v[k] = ((Number) f[k]).floatValue();
        }
        v[f.length] = rs.getFloat(2);
        m.put(rs.getString(1), v);
      }
    }
    return m;
  }
}
