package io.blockals.kernel;

import static io.blockals.Approx.assertArrayClose;
import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NNLSSolverTest {

  @Test
  void clampsTheNegativeCoordinateOfAHandComputedTwoByTwo() {
    // A = [[2, 1], [1, 1]], b = (1, 2). Unconstrained: det = 1, x = [[1, -1], [-1, 2]] b = (1 - 2, -1 + 4) = (-1, 3).
    // NNLS: x1 = 0 and x2 = b2 / a22 = 2 / 1 = 2. KKT: gradient A x - b = (1*2 - 1, 1*2 - 2) = (1, 0),
    // >= 0 where x1 = 0 and 0 where x2 > 0.
    NormalEquation ne = CholeskySolverTest.equation(new double[] {2, 1, 1}, new double[] {1, 2});
    double[] unconstrained = new double[2];
    new CholeskySolver().solve(ne, 0.0, unconstrained, 0);
    assertArrayClose(unconstrained, new double[] {-1, 3}, 1e-14, "unconstrained");
    double[] x = new double[2];
    new NNLSSolver().solve(ne, 0.0, x, 0);
    assertArrayClose(x, new double[] {0, 2}, 1e-14, "nnls");
  }

  @Test
  void clampsWithLambda() {
    // A + 1 I = [[3, 1], [1, 2]], b = (0.5, 2). Unconstrained: det = 5, x = 1/5 [[2, -1], [-1, 3]] b
    // = 1/5 (1 - 2, -0.5 + 6) = (-0.2, 1.1). NNLS: x1 = 0, x2 = 2 / 2 = 1; gradient at x1: 1*1 - 0.5 = 0.5 >= 0.
    NormalEquation ne = CholeskySolverTest.equation(new double[] {2, 1, 1}, new double[] {0.5, 2});
    double[] x = {9, 9, 9};
    new NNLSSolver().solve(ne, 1.0, x, 1);
    assertArrayClose(x, new double[] {9, 0, 1}, 1e-14, "nnls");
  }

  @Test
  void allNegativeRightHandSideGivesZero() {
    // A = I, b = (-1, -1): the minimum of 1/2 |x|^2 + |x|_1 over x >= 0 is x = 0.
    double[] x = {5, 5};
    new NNLSSolver().solve(CholeskySolverTest.equation(new double[] {1, 0, 1}, new double[] {-1, -1}), 0.0, x, 0);
    assertThat(x).containsExactly(0.0, 0.0);
  }

  @Test
  void positiveUnconstrainedSolutionIsReturnedAsIs() {
    Random rnd = new Random(21);
    int k = 12;
    NormalEquation ne = Reference.randomEquation(k, 40, rnd);
    double lambda = 0.3;
    double[] planted = new double[k];
    for (int i = 0; i < k; i++) {
      planted[i] = 0.5 + rnd.nextDouble();
    }
    double[] b = Reference.times(Reference.unpack(ne.ata(), k, lambda), planted);
    System.arraycopy(b, 0, ne.atb(), 0, k);
    double[] x = new double[k];
    new NNLSSolver().solve(ne, lambda, x, 0);
    assertArrayClose(x, planted, 1e-10, "x");
  }

  @Test
  void matchesBruteForceOverAllSupportsOnSmallProblems() {
    // Independent reference: the NNLS optimum is the stationary point of its own support, so among all supports S
    // whose restricted solution (Gaussian elimination) is >= 0, the one with the lowest objective is the answer.
    Random rnd = new Random(99);
    NNLSSolver solver = new NNLSSolver();
    for (int trial = 0; trial < 60; trial++) {
      int k = 1 + trial % 6;
      NormalEquation ne = Reference.randomEquation(k, k + 3, rnd);
      double lambda = 0.05;
      double[][] m = Reference.unpack(ne.ata(), k, lambda);
      double[] b = ne.atb();
      double[] best = new double[k];
      double bestObjective = 0.0; // objective of x = 0 (the empty support)
      for (int mask = 1; mask < (1 << k); mask++) {
        int[] support = new int[Integer.bitCount(mask)];
        for (int i = 0, q = 0; i < k; i++) {
          if ((mask & (1 << i)) != 0) {
            support[q++] = i;
          }
        }
        double[][] sub = new double[support.length][support.length];
        double[] rhs = new double[support.length];
        for (int p = 0; p < support.length; p++) {
          rhs[p] = b[support[p]];
          for (int q = 0; q < support.length; q++) {
            sub[p][q] = m[support[p]][support[q]];
          }
        }
        double[] xs = Reference.gaussSolve(sub, rhs);
        boolean feasible = true;
        double[] candidate = new double[k];
        for (int p = 0; p < support.length; p++) {
          feasible &= xs[p] >= 0.0;
          candidate[support[p]] = xs[p];
        }
        double objective = objective(m, b, candidate);
        if (feasible && objective < bestObjective) {
          bestObjective = objective;
          best = candidate;
        }
      }
      double[] x = new double[k];
      solver.solve(ne, lambda, x, 0);
      for (int i = 0; i < k; i++) {
        assertClose(x[i], best[i], 1e-9, 1e-9, "trial " + trial + " k=" + k + " x[" + i + "]");
      }
    }
  }

  @Test
  void satisfiesKktConditionsOnRandomProblems() {
    Random rnd = new Random(5);
    NNLSSolver solver = new NNLSSolver();
    for (int k : new int[] {2, 5, 10, 30, 64}) {
      for (int trial = 0; trial < 5; trial++) {
        NormalEquation ne = Reference.randomEquation(k, 2 * k, rnd);
        double lambda = 0.1;
        double[] x = new double[k];
        solver.solve(ne, lambda, x, 0);
        double[][] m = Reference.unpack(ne.ata(), k, lambda);
        double[] gradient = Reference.times(m, x);
        double tol = 1e-9 * (1.0 + Reference.maxAbs(ne.atb()));
        int zeros = 0;
        for (int i = 0; i < k; i++) {
          gradient[i] -= ne.atb()[i];
          String what = "k=" + k + " trial " + trial + " i=" + i;
          assertThat(x[i]).as(what + " x >= 0").isGreaterThanOrEqualTo(0.0);
          if (x[i] == 0.0) {
            zeros++;
            assertThat(gradient[i]).as(what + " gradient where x = 0").isGreaterThanOrEqualTo(-tol);
          } else {
            assertClose(gradient[i], 0.0, tol, what + " gradient where x > 0");
          }
        }
        // Random signs make the constraint bind somewhere; otherwise this test would only re-test Cholesky.
        if (k >= 10) {
          assertThat(zeros).as("active constraints, k=" + k).isPositive();
        }
      }
    }
  }

  @Test
  void rejectsBadLambda() {
    NormalEquation ne = CholeskySolverTest.equation(new double[] {2, 1, 1}, new double[] {1, 2});
    assertThatThrownBy(() -> new NNLSSolver().solve(ne, -0.5, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double objective(double[][] m, double[] b, double[] x) {
    double[] mx = Reference.times(m, x);
    double f = 0.0;
    for (int i = 0; i < x.length; i++) {
      f += 0.5 * x[i] * mx[i] - b[i] * x[i];
    }
    return f;
  }
}
