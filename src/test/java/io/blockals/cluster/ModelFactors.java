package io.blockals.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.Approx;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * A committed model directory read back with DuckDB, as a downstream user would (no blockals or Spark code): the
 * global mean and, per side, id -> [bias, features...].
 */
record ModelFactors(double globalMean, Map<String, float[]> users, Map<String, float[]> items) {

  static ModelFactors read(Path model) throws SQLException {
    assertThat(model.resolve("_SUCCESS")).as("committed model " + model).exists();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      double mean;
      try (ResultSet rs = st.executeQuery(
          "SELECT global_mean FROM read_json_auto('" + model.resolve("model.json") + "')")) {
        assertThat(rs.next()).as("model.json has a row").isTrue();
        mean = rs.getDouble(1);
      }
      return new ModelFactors(mean, side(st, model.resolve("user_factors")), side(st, model.resolve("item_factors")));
    }
  }

  private static Map<String, float[]> side(Statement st, Path dir) throws SQLException {
    Map<String, float[]> rows = new TreeMap<>();
    try (ResultSet rs = st.executeQuery(
        "SELECT CAST(id AS VARCHAR), bias, features FROM read_parquet('" + dir + "/*.parquet')")) {
      while (rs.next()) {
        Array arr = rs.getArray(3);
        Object[] features = (Object[]) arr.getArray();
        float[] row = new float[features.length + 1];
        row[0] = rs.getFloat(2);
        for (int i = 0; i < features.length; i++) {
          row[i + 1] = ((Number) features[i]).floatValue();
        }
        float[] previous = rows.put(rs.getString(1), row);
        assertThat(previous).as("id %s appears once in %s", rs.getString(1), dir).isNull();
      }
    }
    return rows;
  }

  /**
   * Asserts that two models hold the same ids and, for each, the same bias and features within {@code abs + rel *
   * |expected|}; returns the largest absolute difference seen.
   */
  static double assertSame(ModelFactors actual, ModelFactors expected, double abs, double rel, String what) {
    Approx.assertClose(actual.globalMean(), expected.globalMean(), abs, rel, what + " global_mean");
    double users = assertSameSide(actual.users(), expected.users(), abs, rel, what + " user");
    double items = assertSameSide(actual.items(), expected.items(), abs, rel, what + " item");
    return Math.max(users, items);
  }

  private static double assertSameSide(Map<String, float[]> actual, Map<String, float[]> expected, double abs,
      double rel, String what) {
    assertThat(actual.keySet()).as(what + " ids").isEqualTo(expected.keySet());
    double maxDiff = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] a = actual.get(e.getKey());
      float[] x = e.getValue();
      assertThat(a.length).as(what + " " + e.getKey() + " 1 + rank").isEqualTo(x.length);
      for (int k = 0; k < x.length; k++) {
        Approx.assertClose(a[k], x[k], abs, rel, what + " " + e.getKey() + (k == 0 ? " bias" : " feature " + (k - 1)));
        maxDiff = Math.max(maxDiff, Math.abs(a[k] - x[k]));
      }
    }
    return maxDiff;
  }
}
