package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blockals.SparkTestBase;
import io.blockals.kernel.Reference;
import io.blockals.model.ModelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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

  @Test
  void factorsAreDenseAlternatingSolvesItemsFirstFromSeededUsers() {
    // The oracle: Hu-Koren-Volinsky ALS written out densely over every (user, item) cell, in MLlib's order: seeded
    // users, then per iteration the items from the users and the users from those items. Each solve is
    // (sum_i c_ui y_i y_i' + reg * n_u I) x_u = sum_i c_ui p_ui y_i over all items, c = 1 + alpha r where r > 0 and 1
    // elsewhere, n_u the count of the row's positive values; factors are rounded to float after every solve, as
    // they travel. Solving the users first, or publishing items solved after the users, gives other factors.
    int nu = 9;
    int ni = 7;
    int rank = 3;
    int iters = 3;
    double reg = 0.1;
    double alpha = 4.0;
    double[][] r = new double[nu][ni];
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int u = 0; u < nu; u++) {
      for (int i = 0; i < ni; i++) {
        if ((u * 5 + i * 3) % 7 < 3 || (u + i) % 4 == 0) {
          r[u][i] = 1 + (u * i + u) % 6;
          us.add("u" + u);
          is.add("i" + i);
          vs.add(r[u][i]);
        }
      }
    }
    List<Row> heldOut = List.of(RowFactory.create("u1", "i2", 3.0), RowFactory.create("u4", "i0", 1.0),
        RowFactory.create("u7", "i6", 2.0), RowFactory.create("u3", "nobody", 5.0));
    AlsParams p = new AlsParams(rank, iters, reg, true, alpha, false, false, "cholesky", 2, 3, 11L, 10,
        DuplicatePolicy.SUM);
    AlsResult res = BlockAls.fit(EngineFixtures.ratings(spark, us, is, vs, 2), p, null,
        new FitOptions(null, () -> jsc.parallelize(heldOut, 2)));

    float[][] x = new float[nu][rank];
    float[][] y = new float[ni][rank];
    for (int u = 0; u < nu; u++) {
      BlockAls.seedRow(p, "u" + u, x[u], 0);
    }
    double[] losses = new double[iters];
    double[] rmses = new double[iters];
    for (int t = 0; t < iters; t++) {
      for (int i = 0; i < ni; i++) {
        double[] col = new double[nu];
        for (int u = 0; u < nu; u++) {
          col[u] = r[u][i];
        }
        y[i] = denseSolve(col, x, reg, alpha);
      }
      for (int u = 0; u < nu; u++) {
        x[u] = denseSolve(r[u], y, reg, alpha);
      }
      double loss = 0;
      for (int u = 0; u < nu; u++) {
        for (int i = 0; i < ni; i++) {
          double c = r[u][i] > 0 ? 1 + alpha * r[u][i] : 1;
          double e = (r[u][i] > 0 ? 1 : 0) - dot(x[u], y[i]);
          loss += c * e * e;
        }
      }
      for (int u = 0; u < nu; u++) {
        loss += reg * positives(r[u]) * dot(x[u], x[u]);
      }
      for (int i = 0; i < ni; i++) {
        double n = 0;
        for (int u = 0; u < nu; u++) {
          n += r[u][i] > 0 ? 1 : 0;
        }
        loss += reg * n * dot(y[i], y[i]);
      }
      losses[t] = loss;
      double se = sq(3.0 - dot(x[1], y[2])) + sq(1.0 - dot(x[4], y[0])) + sq(2.0 - dot(x[7], y[6])) + sq(5.0);
      rmses[t] = Math.sqrt(se / 4);
    }

    Map<String, float[]> users = EngineFixtures.collect(ModelFormat.userFactors(spark, res));
    Map<String, float[]> items = EngineFixtures.collect(ModelFormat.itemFactors(spark, res));
    for (int u = 0; u < nu; u++) {
      for (int f = 0; f < rank; f++) {
        assertThat((double) users.get("u" + u)[f]).as("user %d factor %d", u, f).isCloseTo(x[u][f], within(2e-5));
      }
    }
    for (int i = 0; i < ni; i++) {
      for (int f = 0; f < rank; f++) {
        assertThat((double) items.get("i" + i)[f]).as("item %d factor %d", i, f).isCloseTo(y[i][f], within(2e-5));
      }
    }
    for (int t = 0; t < iters; t++) {
      IterationStats st = res.history().get(t);
      assertThat(st.trainLoss()).as("loss of iteration %d", t + 1).isCloseTo(losses[t], within(1e-6 * losses[t]));
      assertThat(st.validationRmse()).as("held-out RMSE of iteration %d", t + 1)
          .isCloseTo(rmses[t], within(1e-6));
    }
    res.unpersist();
  }

  /** One row's implicit solve against every row of {@code other}, in double, rounded to float. */
  private static float[] denseSolve(double[] values, float[][] other, double reg, double alpha) {
    int k = other[0].length;
    double[][] a = new double[k][k];
    double[] rhs = new double[k];
    for (int j = 0; j < other.length; j++) {
      double c = values[j] > 0 ? 1 + alpha * values[j] : 1;
      double target = values[j] > 0 ? 1 : 0;
      for (int f = 0; f < k; f++) {
        for (int g = 0; g < k; g++) {
          a[f][g] += c * other[j][f] * other[j][g];
        }
        rhs[f] += c * target * other[j][f];
      }
    }
    for (int f = 0; f < k; f++) {
      a[f][f] += reg * positives(values);
    }
    double[] sol = Reference.gaussSolve(a, rhs);
    float[] out = new float[k];
    for (int f = 0; f < k; f++) {
      out[f] = (float) sol[f];
    }
    return out;
  }

  private static int positives(double[] values) {
    int n = 0;
    for (double v : values) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int f = 0; f < a.length; f++) {
      s += (double) a[f] * b[f];
    }
    return s;
  }

  private static double sq(double v) {
    return v * v;
  }
}
