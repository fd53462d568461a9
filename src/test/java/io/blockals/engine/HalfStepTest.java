package io.blockals.engine;

import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.kernel.CholeskySolver;
import io.blockals.kernel.NormalEquation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One row solved by hand. */
class HalfStepTest {
  /** The parameters a half-step reads, with Cholesky and one block a side. */
  private static AlsParams params(int rank, boolean biases, double regParam, boolean implicit, double alpha) {
    return new AlsParams(rank, 1, regParam, implicit, alpha, biases, false, "cholesky", 1, 1, 0L, 0,
        DuplicatePolicy.LATEST);
  }

  /** One user rating two items (item factors 1 and 2, rank 1) with 3 and 5; one item block. */
  private static SideBlock oneUser() {
    return BlockBuilder.assemble(0, new String[] {"u"}, new int[] {0, 0}, new int[] {0, 0}, new int[] {0, 1},
        new float[] {3f, 5f}, 2, 1, null);
  }

  @Test
  void rankOneWithoutBiases() {
    // x = sum(r y) / (sum(y^2) + lambda n) = (3*1 + 5*2) / (1 + 4 + 0.5*2) = 13/6.
    AlsParams s = params(1, false, 0.5, false, 0);
    double mu = 0;
    FactorMessage m = new FactorMessage(0, new float[] {1f, 2f}, null, 0);
    FactorBlock f = HalfStep.solve(oneUser(), List.of(m).iterator(), s, mu, true, null);
    assertClose(f.values[0], 13.0 / 6, 1e-6, "x");
    // Residuals 3 - 13/6 = 5/6 and 5 - 26/6 = 2/3: (25/36 + 16/36) = 41/36.
    assertClose(f.residualSq, 41.0 / 36, 1e-5, "residual sum of squares");
    // reg term lambda * n * x^2 = 0.5 * 2 * (13/6)^2 = 169/36.
    assertClose(f.regTerm, 169.0 / 36, 1e-5, "reg term");
  }

  @Test
  void rankOneWithBiases() {
    // Features [y, 1], target r - mu - b_i with mu = 0, b_i = 0:
    // A = [[1+4, 1+2], [1+2, 2]] + 0.5*2*I = [[6, 3], [3, 3]], rhs = [3+10, 3+5] = [13, 8], det = 9,
    // x = (13*3 - 3*8)/9 = 5/3, b = (6*8 - 3*13)/9 = 1.
    AlsParams s = params(1, true, 0.5, false, 0);
    double mu = 0;
    FactorMessage m = new FactorMessage(0, new float[] {1f, 0f, 2f, 0f}, null, 0);
    FactorBlock f = HalfStep.solve(oneUser(), List.of(m).iterator(), s, mu, false, null);
    assertThat(f.dim).isEqualTo(2);
    assertClose(f.values[0], 5.0 / 3, 1e-6, "x");
    assertClose(f.values[1], 1.0, 1e-6, "bias");
  }

  @Test
  void manyRowsEachGetTheirOwnSolutionAndTerms() {
    // Nine users, three items, rank 2: rows are solved four at a time where the vector lanes are available (two full
    // groups and one of a single row here). Each row against Cramer's rule on its own 2x2 system.
    float[][] y = {{1f, 0.5f}, {-0.5f, 2f}, {0.3f, -1f}};
    int users = 9;
    List<int[]> rated = new java.util.ArrayList<>();
    List<Float> values = new java.util.ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < 3; i++) {
        if ((u + i) % 4 != 3) {
          rated.add(new int[] {u, i});
          values.add(1f + ((u * 7 + i * 3) % 5));
        }
      }
    }
    int n = rated.size();
    int[] row = new int[n];
    int[] item = new int[n];
    float[] value = new float[n];
    String[] ids = new String[users];
    for (int u = 0; u < users; u++) {
      ids[u] = "u" + u;
    }
    for (int j = 0; j < n; j++) {
      row[j] = rated.get(j)[0];
      item[j] = rated.get(j)[1];
      value[j] = values.get(j);
    }
    SideBlock block = BlockBuilder.assemble(0, ids, row, new int[n], item, value, n, 1, null);
    double lambda = 0.1;
    AlsParams s = params(2, false, lambda, false, 0);
    double mu = 0;
    FactorMessage m = new FactorMessage(0, new float[] {y[0][0], y[0][1], y[1][0], y[1][1], y[2][0], y[2][1]}, null,
        0);
    FactorBlock f = HalfStep.solve(block, List.of(m).iterator(), s, mu, true, null);
    double regTerm = 0;
    double residualSq = 0;
    for (int u = 0; u < users; u++) {
      double a00 = 0;
      double a01 = 0;
      double a11 = 0;
      double b0 = 0;
      double b1 = 0;
      int count = 0;
      for (int j = 0; j < n; j++) {
        if (row[j] == u) {
          double v0 = y[item[j]][0];
          double v1 = y[item[j]][1];
          a00 += v0 * v0;
          a01 += v0 * v1;
          a11 += v1 * v1;
          b0 += value[j] * v0;
          b1 += value[j] * v1;
          count++;
        }
      }
      a00 += lambda * count;
      a11 += lambda * count;
      double det = a00 * a11 - a01 * a01;
      double x0 = (b0 * a11 - a01 * b1) / det;
      double x1 = (a00 * b1 - a01 * b0) / det;
      int r = java.util.Arrays.asList(block.ids).indexOf("u" + u);
      assertClose(f.values[2 * r], x0, 1e-5, "x0 of u" + u);
      assertClose(f.values[2 * r + 1], x1, 1e-5, "x1 of u" + u);
      regTerm += lambda * count * (x0 * x0 + x1 * x1);
      for (int j = 0; j < n; j++) {
        if (row[j] == u) {
          double e = value[j] - (x0 * y[item[j]][0] + x1 * y[item[j]][1]);
          residualSq += e * e;
        }
      }
    }
    assertClose(f.regTerm, regTerm, 1e-4, "reg term");
    assertClose(f.residualSq, residualSq, 1e-4, "residual sum of squares");
  }

  @Test
  void globalMeanAndItemBiasAreTakenOff() {
    // Same as above after shifting: mu = 2 and item biases 0.5, -1 leave targets 3-2-0.5 = 0.5 and 5-2+1 = 4.
    // A as above; rhs = [0.5*1 + 4*2, 0.5 + 4] = [8.5, 4.5]; x = (8.5*3 - 3*4.5)/9 = 12/9, b = (6*4.5 - 3*8.5)/9 = 1.5/9.
    AlsParams s = params(1, true, 0.5, false, 0);
    double mu = 2.0;
    FactorMessage m = new FactorMessage(0, new float[] {1f, 0.5f, 2f, -1f}, null, 0);
    FactorBlock f = HalfStep.solve(oneUser(), List.of(m).iterator(), s, mu, false, null);
    assertClose(f.values[0], 12.0 / 9, 1e-6, "x");
    assertClose(f.values[1], 1.5 / 9, 1e-6, "bias");
  }

  @Test
  void implicitUsesConfidenceAndTheGramOfAllItems() {
    // Rank 1, items y = 1 (rated 2) and y = 2 (rated 0, i.e. observed but negative), plus an unrated item y = 3.
    // YtY = 1 + 4 + 9 = 14; alpha = 1: c1 = 1 + 2 = 3 (p = 1), c2 = 1 + 0 = 1 (p = 0).
    // A = YtY + (c1-1)*1 + (c2-1)*4 + lambda * n_positive = 14 + 2 + 0 + 0.1*1 = 16.1; b = c1 * 1 * 1 = 3.
    SideBlock user = BlockBuilder.assemble(0, new String[] {"u"}, new int[] {0, 0}, new int[] {0, 0},
        new int[] {0, 1}, new float[] {2f, 0f}, 2, 1, null);
    AlsParams s = params(1, false, 0.1, true, 1.0);
    double mu = 0;
    double[] yty = HalfStep.gram(new float[] {1f, 2f, 3f}, 3, 1);
    assertClose(yty[0], 14, 1e-9, "YtY");
    FactorMessage m = new FactorMessage(0, new float[] {1f, 2f}, yty, 0);
    FactorBlock f = HalfStep.solve(user, List.of(m).iterator(), s, mu, false, null);
    assertClose(f.values[0], 3 / 16.1, 1e-6, "x");
  }

  @Test
  void messagesCarryOnlyTheRowsEachDestinationNeeds() {
    // Block with rows a, b, c; destination 0 needs rows 0 and 2, destination 1 needs row 1. Rank 2.
    SideBlock b = new SideBlock(0, new String[] {"a", "b", "c"}, new int[] {0, 0}, new int[] {0, 0, 0, 0},
        new int[0], new float[0], new int[][] {{0, 2}, {1}}, null);
    FactorBlock f = new FactorBlock(0, 2, new float[] {1, 2, 3, 4, 5, 6}, 0, 7.0, 0);
    AlsParams s = params(2, false, 0.1, false, 0);
    double mu = 0;
    FactorMessage[] m = HalfStep.messages(f, b, s);
    assertThat(m[0].rows).containsExactly(1, 2, 5, 6);
    assertThat(m[1].rows).containsExactly(3, 4);
    assertThat(m[0].regTerm).isEqualTo(7.0);
    assertThat(m[1].regTerm).isZero();
  }

  @Test
  void quadraticFormOfPackedMatrix() {
    // A = [[2, 1], [1, 3]] packed upper column-major: [a00, a01, a11] = [2, 1, 3]; x = (1, 2):
    // x'Ax = 2*1 + 2*1*1*2 + 3*4 = 2 + 4 + 12 = 18.
    assertClose(HalfStep.quadratic(new double[] {2, 1, 3}, new float[] {1, 2}, 0, 2), 18, 1e-12, "x'Ax");
  }

  @Test
  void aRowLongerThanTheChunkIsSolvedAsIfAddedInOnePiece() {
    // One user rates 5000 items (more than two chunks of HalfStep.CHUNK = 2048, with a partial last chunk of 904);
    // a second user rates three, so the long row shares its solve with a short one. The oracle adds the long row's
    // 5000 observations to one NormalEquation one by one, without chunks, and solves it with Cholesky at lambda * n.
    int items = 5000;
    int rank = 3;
    double lambda = 0.05;
    assertThat(items).isGreaterThan(2 * HalfStep.CHUNK);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    float[] y = new float[items * rank];
    for (int t = 0; t < y.length; t++) {
      y[t] = (float) (rnd.nextDouble() * 2 - 1);
    }
    int n = items + 3;
    int[] row = new int[n];
    int[] item = new int[n];
    float[] value = new float[n];
    for (int j = 0; j < items; j++) {
      row[j] = 0;
      item[j] = j;
      value[j] = 1 + rnd.nextInt(5);
    }
    for (int j = 0; j < 3; j++) {
      row[items + j] = 1;
      item[items + j] = 7 * j;
      value[items + j] = 2 + j;
    }
    SideBlock block = BlockBuilder.assemble(0, new String[] {"long", "short"}, row, new int[n], item, value, n, 1,
        null);
    FactorBlock f = HalfStep.solve(block, List.of(new FactorMessage(0, y, null, 0)).iterator(),
        params(rank, false, lambda, false, 0), 0.0, true, null);

    NormalEquation whole = new NormalEquation(rank);
    double residualSq = 0;
    for (int j = 0; j < items; j++) {
      whole.add(y, j * rank, value[j], 1.0);
    }
    double[] x = new double[rank];
    new CholeskySolver().solve(whole, lambda * items, x, 0);
    int r = java.util.Arrays.asList(block.ids).indexOf("long");
    for (int q = 0; q < rank; q++) {
      // Only the order of the additions differs: equal to rounding, then to the float the factor is stored in.
      assertClose(f.values[r * rank + q], x[q], 1e-6, 1e-5, "x" + q + " of the long row");
    }
    for (int j = 0; j < items; j++) {
      double e = value[j];
      for (int q = 0; q < rank; q++) {
        e -= f.values[r * rank + q] * y[j * rank + q];
      }
      residualSq += e * e;
    }
    double xx = 0;
    for (int q = 0; q < rank; q++) {
      xx += x[q] * x[q];
    }
    NormalEquation shortRow = new NormalEquation(rank);
    double[] xs = new double[rank];
    for (int j = items; j < n; j++) {
      shortRow.add(y, item[j] * rank, value[j], 1.0);
    }
    new CholeskySolver().solve(shortRow, lambda * 3, xs, 0);
    double xsxs = 0;
    int rs = 1 - r;
    for (int q = 0; q < rank; q++) {
      assertClose(f.values[rs * rank + q], xs[q], 1e-6, 1e-5, "x" + q + " of the short row");
      xsxs += xs[q] * xs[q];
    }
    for (int j = items; j < n; j++) {
      double e = value[j];
      for (int q = 0; q < rank; q++) {
        e -= f.values[rs * rank + q] * y[item[j] * rank + q];
      }
      residualSq += e * e;
    }
    assertClose(f.residualSq, residualSq, 1e-6, 1e-6, "residual sum of squares");
    assertClose(f.regTerm, lambda * items * xx + lambda * 3 * xsxs, 1e-6, 1e-5, "reg term");
  }
}
