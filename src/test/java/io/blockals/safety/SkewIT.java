package io.blockals.safety;

import static io.blockals.safety.Dirs.isCompleteModel;
import static io.blockals.safety.Dirs.modelJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extreme skew: one item rated by every user. That item's normal equation gathers every user's factor row, so an
 * engine that materialised the item's whole design matrix (users x rank doubles) or its ratings in one array per
 * task would need memory proportional to the number of users on one executor; blockals adds rows in chunks of 2048
 * ({@code HalfStep.CHUNK}). Trained by {@code blockals train} with default settings in a child JVM with a modest
 * 640 MB heap (Spark itself refuses to start below ~470 MB), which must finish with exit 0 and a complete model.
 */
class SkewIT {
  private static final int USERS = 200_000;
  private static final int ITEMS = 2_000;
  private static final int OTHERS_PER_USER = 2;

  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void oneItemRatedByEveryUserTrainsUnderDefaultsInAModestHeap() throws Exception {
    Path input = tmp.resolve("skew.csv");
    Random r = new Random(11);
    try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
      w.write("user,item,rating\n");
      for (int u = 0; u < USERS; u++) {
        w.write("u" + u + ",hot," + (1 + r.nextInt(5)) + "\n");
        for (int k = 0; k < OTHERS_PER_USER; k++) {
          // Items 0..ITEMS-1; a repeated pair is de-duplicated, so pick distinct ones per user.
          w.write("u" + u + ",i" + ((u * 7 + k * 1013) % ITEMS) + "," + (1 + r.nextInt(5)) + "\n");
        }
      }
    }
    Path model = tmp.resolve("model");
    List<String> args = List.of("train", "--input", input.toString(), "--output", model.toString(),
        "--master", "local[2]", "--spark-conf", "spark.ui.enabled=false",
        "--spark-conf", "spark.driver.host=127.0.0.1");
    int code;
    String out;
    try (ChildJvm child = ChildJvm.start(tmp.resolve("logs"), "skew", "640m",
        List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + tmp.resolve("oom.hprof")), Map.of(),
        "io.blockals.cli.Main", args)) {
      code = child.awaitExit();
      out = child.output();
    }
    assertThat(code).as(out).isZero();
    assertThat(out).doesNotContain("OutOfMemoryError");
    assertThat(isCompleteModel(model)).isTrue();
    Map<String, Object> counts = (Map<String, Object>) modelJson(model).get("counts");
    assertThat(((Number) counts.get("users")).longValue()).isEqualTo(USERS);
    assertThat(((Number) counts.get("ratings_used")).longValue()).isEqualTo((long) USERS * (1 + OTHERS_PER_USER));
    Map<String, Object> params = (Map<String, Object>) modelJson(model).get("params");
    assertThat(params).containsEntry("rank", 10).containsEntry("iterations", 10);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT len(features), list_sum(list_transform(features, x -> x * x)) "
            + "FROM read_parquet('" + model.resolve("item_factors") + "/*.parquet') WHERE id = 'hot'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(10);
      assertThat(Double.isFinite(rs.getDouble(2))).isTrue();
    }
  }
}
