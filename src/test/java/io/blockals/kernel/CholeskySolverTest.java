package io.blockals.kernel;

import static io.blockals.Approx.assertArrayClose;
import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CholeskySolverTest {

  /** An equation holding exactly the given packed ata and atb. */
  static NormalEquation equation(double[] packedAta, double[] atb) {
    NormalEquation ne = new NormalEquation(atb.length);
    ne.addPacked(packedAta);
    System.arraycopy(atb, 0, ne.atb(), 0, atb.length);
    return ne;
  }

  @Test
  void solvesHandComputedTwoByTwo() {
    // A = [[4, 2], [2, 3]], b = (6, 5). det = 12 - 4 = 8, A^-1 = 1/8 [[3, -2], [-2, 4]],
    // x = 1/8 (18 - 10, -12 + 20) = (1, 1); check: 4 + 2 = 6, 2 + 3 = 5.
    double[] x = new double[2];
    new CholeskySolver().solve(equation(new double[] {4, 2, 3}, new double[] {6, 5}), 0.0, x, 0);
    assertArrayClose(x, new double[] {1, 1}, 1e-14, "x");
  }

  @Test
  void solvesHandComputedTwoByTwoWithLambda() {
    // A + 1 I = [[5, 2], [2, 4]], det = 20 - 4 = 16, inverse 1/16 [[4, -2], [-2, 5]],
    // x = 1/16 (24 - 10, -12 + 25) = (14/16, 13/16) = (0.875, 0.8125);
    // check: 5*0.875 + 2*0.8125 = 6, 2*0.875 + 4*0.8125 = 5.
    double[] x = new double[2];
    new CholeskySolver().solve(equation(new double[] {4, 2, 3}, new double[] {6, 5}), 1.0, x, 0);
    assertArrayClose(x, new double[] {0.875, 0.8125}, 1e-14, "x");
  }

  @Test
  void solvesHandComputedThreeByThreeIntoOffsetWithoutTouchingTheRest() {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]] (minors 4, 16, 44 > 0), chosen x = (1, -1, 2):
    // b = (4 - 2 + 0, 2 - 5 + 2, 0 - 1 + 6) = (2, -1, 5). Packed: (0,0) (0,1) (1,1) (0,2) (1,2) (2,2).
    NormalEquation ne = equation(new double[] {4, 2, 5, 0, 1, 3}, new double[] {2, -1, 5});
    double[] ataBefore = ne.ata().clone();
    double[] atbBefore = ne.atb().clone();
    double[] out = {7, 7, 0, 0, 0, 7};
    new CholeskySolver().solve(ne, 0.0, out, 2);
    assertArrayClose(out, new double[] {7, 7, 1, -1, 2, 7}, 1e-14, "out");
    assertThat(ne.ata()).containsExactly(ataBefore);
    assertThat(ne.atb()).containsExactly(atbBefore);
  }

  @Test
  void matchesGaussianEliminationOnRandomSystems() {
    Random rnd = new Random(7);
    CholeskySolver solver = new CholeskySolver(); // one instance across sizes: scratch must adapt
    // 1 to 16 take the small-rank path (Packed.solveSmall), 17 and up the row-oriented one.
    for (int k : new int[] {1, 2, 3, 10, 11, 16, 17, 64, 128, 10}) {
      NormalEquation ne = Reference.randomEquation(k, 3 * k + 2, rnd);
      double lambda = 0.1 * k;
      double[] expected = Reference.gaussSolve(Reference.unpack(ne.ata(), k, lambda), ne.atb());
      double[] x = new double[k];
      solver.solve(ne, lambda, x, 0);
      double scale = Reference.maxAbs(expected);
      for (int i = 0; i < k; i++) {
        assertClose(x[i], expected[i], 1e-10 * scale, "k=" + k + " x[" + i + "]");
      }
    }
  }

  @Test
  void rankDeficientWithoutLambdaReportsApparentRank() {
    // Rows (1, 2, 3) and (0, 1, -1) span a plane in R^3: ata has rank 2.
    NormalEquation plane = new NormalEquation(3);
    plane.add(new float[] {1, 2, 3}, 0, 1.0, 1.0);
    plane.add(new float[] {0, 1, -1}, 0, 2.0, 2.0);
    assertThatThrownBy(() -> new CholeskySolver().solve(plane, 0.0, new double[3], 0))
        .isInstanceOfSatisfying(SingularSystemException.class, e -> {
          assertThat(e.k()).isEqualTo(3);
          assertThat(e.apparentRank()).isEqualTo(2);
        })
        .hasMessageContaining("k=3").hasMessageContaining("apparent rank 2")
        .hasMessageContaining("reg_param").hasMessageContaining("smaller rank");

    // The dependent column in the middle (column 1 = 2 * column 0), an independent one after it: rank 2.
    NormalEquation middle = new NormalEquation(3);
    middle.add(new float[] {1, 2, 0}, 0, 1.0, 1.0);
    middle.add(new float[] {0, 0, 1}, 0, 1.0, 1.0);
    middle.add(new float[] {3, 6, 1}, 0, 1.0, 1.0);
    assertThatThrownBy(() -> new CholeskySolver().solve(middle, 0.0, new double[3], 0))
        .isInstanceOfSatisfying(SingularSystemException.class, e -> assertThat(e.apparentRank()).isEqualTo(2));

    // One rating for a rank-4 row: apparent rank 1.
    NormalEquation single = new NormalEquation(4);
    single.add(new float[] {0.5f, -1, 2, 0.25f}, 0, 3.0, 1.0);
    assertThatThrownBy(() -> new CholeskySolver().solve(single, 0.0, new double[4], 0))
        .isInstanceOf(SingularSystemException.class).hasMessageContaining("apparent rank 1");

    // The same systems are fine once regularised.
    double[] x = new double[3];
    new CholeskySolver().solve(plane, 0.01, x, 0);
    assertArrayClose(Reference.times(Reference.unpack(plane.ata(), 3, 0.01), x), plane.atb(), 1e-9, "(A + 0.01 I) x");
  }

  @Test
  void rejectsBadArgumentsAndNonFiniteInput() {
    NormalEquation ne = equation(new double[] {4, 2, 3}, new double[] {6, 5});
    CholeskySolver solver = new CholeskySolver();
    assertThatThrownBy(() -> solver.solve(ne, -1.0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda");
    assertThatThrownBy(() -> solver.solve(ne, Double.NaN, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> solver.solve(ne, 0.0, new double[2], 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    NormalEquation nan = equation(new double[] {4, Double.NaN, 3}, new double[] {6, 5});
    assertThatThrownBy(() -> solver.solve(nan, 0.0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    NormalEquation nanB = equation(new double[] {4, 2, 3}, new double[] {Double.NaN, 5});
    assertThatThrownBy(() -> solver.solve(nanB, 0.0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
  }

  /** The right-looking factorisation one pivot at a time, as Packed.choleskyRows did before it paired its steps. */
  private static int onePivotAtATime(double[][] rows, int k, double[] diag) {
    for (int i = 0; i < k; i++) {
      diag[i] = rows[i][i];
    }
    int rank = 0;
    for (int i = 0; i < k; i++) {
      double[] ui = rows[i];
      double d = ui[i];
      if (diag[i] > 0.0 && d > Packed.PIVOT_TOL * diag[i]) {
        double uii = Math.sqrt(d);
        ui[i] = uii;
        double inv = 1.0 / uii;
        for (int j = i + 1; j < k; j++) {
          ui[j] *= inv;
        }
        for (int j = i + 1; j < k; j++) {
          double s = ui[j];
          if (s != 0.0) {
            for (int l = j; l < k; l++) {
              rows[j][l] -= s * ui[l];
            }
          }
        }
        rank++;
      } else {
        for (int j = i; j < k; j++) {
          ui[j] = 0.0;
        }
      }
    }
    return rank;
  }

  @Test
  void pairedPivotsGiveTheFactorOfOnePivotAtATimeBitForBit() {
    // Full-rank systems of odd and even size, rank-deficient ones (zeroed rows in the middle of a pair and at its
    // end), and sparse ones where many multipliers are exactly zero: the same factor and rank to the last bit.
    Random rnd = new Random(12);
    for (int trial = 0; trial < 300; trial++) {
      int k = 1 + rnd.nextInt(70);
      int n = trial % 3 == 0 ? 1 + rnd.nextInt(Math.max(1, k - 1)) : k + rnd.nextInt(2 * k);
      NormalEquation ne = new NormalEquation(k);
      float[] row = new float[k];
      for (int r = 0; r < n; r++) {
        for (int f = 0; f < k; f++) {
          row[f] = trial % 5 == 1 && rnd.nextInt(3) > 0 ? 0f : (float) rnd.nextGaussian();
        }
        ne.add(row, 0, 1.0, 1.0);
      }
      double lambda = trial % 3 == 0 ? 0.0 : 0.01 * rnd.nextInt(4);
      double[][] a = new double[k][k];
      double[][] b = new double[k][k];
      Packed.unpackShifted(ne.ata(), k, lambda, a);
      Packed.unpackShifted(ne.ata(), k, lambda, b);
      double[] da = new double[k];
      double[] db = new double[k];
      int rankA = Packed.choleskyRows(a, k, da);
      int rankB = onePivotAtATime(b, k, db);
      assertThat(rankA).as("rank, trial " + trial).isEqualTo(rankB);
      for (int i = 0; i < k; i++) {
        for (int j = i; j < k; j++) {
          assertThat(Double.doubleToRawLongBits(a[i][j])).as("U[%d][%d], trial %d, k %d", i, j, trial, k)
              .isEqualTo(Double.doubleToRawLongBits(b[i][j]));
        }
      }
    }
  }
}
