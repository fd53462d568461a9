package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.model.ModelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code alpha_scaling = log} through the engine, on a checkerboard of counts: two groups of 20 users, each rating
 * the 10 items of its group except one withheld item per user. For counts far below epsilon,
 * alpha * log(1 + r / epsilon) = (alpha / epsilon) * r - (alpha / (2 epsilon^2)) * r^2 + ..., so log scaling with
 * alpha = 5 * epsilon and a large epsilon is linear scaling with alpha = 5 up to a relative r / (2 epsilon), below
 * 1e-5 here.
 */
class AlphaScalingIT extends SparkTestBase {
  private static Dataset<Row> checkerboard() {
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      int group = u < 20 ? 0 : 10;
      int withheld = group + u % 10;
      for (int i = group; i < group + 10; i++) {
        if (i != withheld) {
          us.add("u" + u);
          is.add("i" + i);
          vs.add(1.0 + 4 * ((u + i) % 3));
        }
      }
    }
    return EngineFixtures.ratings(spark, us, is, vs, 2);
  }

  private static AlsParams implicit(double alpha, AlsParams.AlphaScaling scaling, double epsilon) {
    return new AlsParams(2, 10, 0.05, true, alpha, false, false, "cholesky", 2, 2, 3L, 10, DuplicatePolicy.SUM)
        .withAlphaScaling(scaling, epsilon);
  }

  private static Map<String, float[]> items(AlsParams p) {
    AlsResult r = BlockAls.fit(checkerboard(), p, null);
    Map<String, float[]> out = EngineFixtures.collect(ModelFormat.itemFactors(spark, r));
    r.unpersist();
    return out;
  }

  @Test
  void logScalingWithALargeEpsilonIsLinearScalingAndASmallOneIsNot() {
    Map<String, float[]> linear = items(implicit(5.0, AlsParams.AlphaScaling.LINEAR, 1.0));
    Map<String, float[]> nearlyLinear = items(implicit(5.0e6, AlsParams.AlphaScaling.LOG, 1.0e6));
    Map<String, float[]> log = items(implicit(5.0, AlsParams.AlphaScaling.LOG, 1.0));
    double maxNear = 0;
    double maxLog = 0;
    for (String id : linear.keySet()) {
      for (int k = 0; k < 2; k++) {
        maxNear = Math.max(maxNear, Math.abs(linear.get(id)[k] - nearlyLinear.get(id)[k]));
        maxLog = Math.max(maxLog, Math.abs(linear.get(id)[k] - log.get(id)[k]));
      }
    }
    assertThat(maxNear).as("log with epsilon 1e6 vs linear").isLessThan(1e-4);
    assertThat(maxLog).as("log with epsilon 1 vs linear").isGreaterThan(1e-2);
  }

  @Test
  void withLogScalingTheWithheldItemStillRanksAboveTheOtherGroup() {
    AlsResult r = BlockAls.fit(checkerboard(), implicit(5.0, AlsParams.AlphaScaling.LOG, 1.0), null);
    Map<String, float[]> users = EngineFixtures.collect(ModelFormat.userFactors(spark, r));
    Map<String, float[]> items = EngineFixtures.collect(ModelFormat.itemFactors(spark, r));
    for (int u = 0; u < 40; u++) {
      int group = u < 20 ? 0 : 10;
      int other = u < 20 ? 10 : 0;
      double withheld = EngineFixtures.predict(0, users.get("u" + u), items.get("i" + (group + u % 10)));
      for (int i = other; i < other + 10; i++) {
        assertThat(withheld).as("user %d: withheld item vs item %d", u, i)
            .isGreaterThan(EngineFixtures.predict(0, users.get("u" + u), items.get("i" + i)));
      }
    }
    List<IterationStats> h = r.history();
    assertThat(h.get(h.size() - 1).trainLoss()).isLessThan(h.get(0).trainLoss());
    r.unpersist();
  }
}
