package io.blockals.engine;

import io.blockals.model.ModelFormat;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Implicit feedback on a fixture whose answer is known in advance. */
class ImplicitIT extends SparkTestBase {

  @Test
  void checkerboardWithheldItemOutranksTheOtherGroup() {
    // Two communities: users 0-19 play items 0-9, users 20-39 play items 10-19. Each user skips one item of their
    // own group (withheld). With Hu-Koren-Volinsky confidence weighting, the withheld item must score above every
    // item of the other community for every user. Rank 2 is what two communities need; a larger rank with little
    // regularisation can memorise the withheld pattern itself (users 5 and 15 both skip item 5), which is a fact of
    // the objective, not a bug.
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
          vs.add(1.0 + (u + i) % 3);
        }
      }
    }
    AlsParams p = new AlsParams(2, 10, 0.05, true, 5.0, false, false, "cholesky", 2, 2, 3L, 10,
        DuplicatePolicy.SUM);
    AlsResult r = BlockAls.fit(EngineFixtures.ratings(spark, us, is, vs, 2), p, null);
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
    // The confidence-weighted loss goes down as ALS iterates.
    List<IterationStats> h = r.history();
    assertThat(h.get(h.size() - 1).trainLoss()).isLessThan(h.get(0).trainLoss());
    assertThat(h.get(0).trainRmse()).isNaN();
    r.unpersist();
  }

  @Test
  void nonnegativeFactorsStayNonnegative() {
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int u = 0; u < 15; u++) {
      for (int i = 0; i < 12; i++) {
        if ((u * 7 + i * 3) % 4 != 0) {
          us.add("u" + u);
          is.add("i" + i);
          vs.add(1.0 + ((u * i) % 5));
        }
      }
    }
    AlsParams p = new AlsParams(3, 8, 0.1, false, 1.0, false, true, "auto", 2, 2, 5L, 10, DuplicatePolicy.LATEST);
    AlsResult r = BlockAls.fit(EngineFixtures.ratings(spark, us, is, vs, 2), p, null);
    for (float[] f : EngineFixtures.collect(ModelFormat.userFactors(spark, r)).values()) {
      for (int k = 0; k < 3; k++) {
        assertThat(f[k]).isGreaterThanOrEqualTo(0f);
      }
    }
    for (float[] f : EngineFixtures.collect(ModelFormat.itemFactors(spark, r)).values()) {
      for (int k = 0; k < 3; k++) {
        assertThat(f[k]).isGreaterThanOrEqualTo(0f);
      }
    }
    assertThat(r.history().get(7).trainRmse()).isLessThan(r.history().get(0).trainRmse());
    r.unpersist();
  }
}
