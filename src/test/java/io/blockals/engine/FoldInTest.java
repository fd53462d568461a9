package io.blockals.engine;

import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fold-in is a training half-step on fixed item factors: checked by hand and bit for bit against HalfStep.solve. */
class FoldInTest {
  private static AlsParams params(int rank, boolean biases, double regParam, boolean implicit, double alpha,
      String solver) {
    return new AlsParams(rank, 1, regParam, implicit, alpha, biases, false, solver, 1, 1, 0L, 0,
        DuplicatePolicy.LATEST);
  }

  @Test
  void rankOneWithBiasesByHand() {
    // One user rates items with factors 1 and 2, biases 0.5 and -0.5, with 3.5 and 4.5; mu = 1. Targets
    // r - mu - b_i = 2 and 4. Rows [y, 1]: A = [[1+4, 1+2], [3, 2]] + 0.5*2*I = [[6, 3], [3, 3]],
    // rhs = [2*1 + 4*2, 2 + 4] = [10, 6], det = 9, x = (10*3 - 3*6)/9 = 4/3, b = (6*6 - 3*10)/9 = 2/3.
    FoldIn f = new FoldIn(params(1, true, 0.5, false, 0, "cholesky"), 1.0, null);
    float[] x = f.solve(new int[] {0, 2}, new int[] {0, 1}, new float[] {3.5f, 4.5f}, new float[] {1f, 2f},
        new float[] {0.5f, -0.5f}, 2);
    assertThat(x).hasSize(2);
    assertClose(x[0], 4.0 / 3, 1e-6, "x");
    assertClose(x[1], 2.0 / 3, 1e-6, "bias");
  }

  @Test
  void implicitRankOneByHand() {
    // Items 1 and 2 (Y'Y = 5), ratings 2 (positive) and -1 (negative), alpha 0.5: confidences 1 and 0.5. Targets
    // 1 + c for the positive one, 0 for the other. A = Y'Y + sum c y^2 + lambda * (positives = 1)
    // = 5 + 1*1 + 0.5*4 + 0.1 = 8.1; rhs = 2 * 1 = 2; x = 2/8.1.
    FoldIn f = new FoldIn(params(1, false, 0.1, true, 0.5, "cholesky"), 0, FoldIn.gram(new float[] {1f, 2f}, 2, 1));
    float[] x = f.solve(new int[] {0, 2}, new int[] {0, 1}, new float[] {2f, -1f}, new float[] {1f, 2f}, null, 2);
    assertClose(x[0], 2 / 8.1, 1e-6, "x");
  }

  @Test
  void equalsTheTrainingHalfStepBitForBit() {
    // 40 users over 25 items, rank 5 and rank 20 (the two vector kernels), with and without biases, implicit too:
    // the same CSR and item rows through HalfStep.solve (as training runs it) and through FoldIn.
    for (int rank : new int[] {5, 20}) {
      for (String mode : new String[] {"plain", "biases", "implicit"}) {
        AlsParams s = params(rank, mode.equals("biases"), 0.05, mode.equals("implicit"), 0.7, "auto");
        SplittableRandom rnd = new SplittableRandom(rank * 31L + mode.length());
        int users = 40;
        int items = 25;
        int dim = s.dim();
        float[] msg = new float[items * dim];
        float[] feats = new float[items * rank];
        float[] bias = new float[items];
        for (int i = 0; i < items; i++) {
          for (int j = 0; j < rank; j++) {
            feats[i * rank + j] = msg[i * dim + j] = (float) (rnd.nextDouble() * 2 - 1);
          }
          if (dim > rank) {
            bias[i] = msg[i * dim + rank] = (float) (rnd.nextDouble() - 0.5);
          }
        }
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (int u = 0; u < users; u++) {
          for (int i = 0; i < items; i++) {
            if (rnd.nextInt(3) == 0 || u == i) {
              pairs.add(new int[] {u, i});
            }
          }
        }
        int n = pairs.size();
        int[] row = new int[n];
        int[] item = new int[n];
        float[] value = new float[n];
        for (int t = 0; t < n; t++) {
          row[t] = pairs.get(t)[0];
          item[t] = pairs.get(t)[1];
          value[t] = (float) (rnd.nextInt(9) - 2) / 2;
        }
        String[] ids = new String[users];
        for (int u = 0; u < users; u++) {
          ids[u] = String.format("u%02d", u);
        }
        SideBlock block = BlockBuilder.assemble(0, ids, row, new int[n], item, value, n, 1, null);
        double mu = 0.3;
        double[] yty = s.implicit() ? HalfStep.gram(msg, items, dim) : null;
        FactorBlock trained = HalfStep.solve(block, List.of(new FactorMessage(0, msg, yty, 0)).iterator(), s, mu,
            false, null);
        // The block's own CSR (users in id order, ratings pointing at gathered rows = item indices here).
        float[] folded = new FoldIn(s, mu, yty).solve(block.rowPtr, block.pos, block.value, feats, bias, items);
        assertThat(folded).as("rank %d, %s", rank, mode).containsExactly(trained.values);
      }
    }
  }

  @Test
  void implicitWithoutYtyIsRefused() {
    assertThatThrownBy(() -> new FoldIn(params(3, false, 0.1, true, 1, "cholesky"), 0, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YᵀY");
  }
}
