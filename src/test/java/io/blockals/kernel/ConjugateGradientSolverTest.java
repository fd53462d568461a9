package io.blockals.kernel;

import static io.blockals.Approx.assertArrayClose;
import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConjugateGradientSolverTest {

  @Test
  void solvesHandComputedTwoByTwoInAtMostTwoIterations() {
    // Same system as in CholeskySolverTest: A = [[4, 2], [2, 3]], b = (6, 5), x = (1, 1).
    // CG ends after at most k = 2 iterations in exact arithmetic.
    ConjugateGradientSolver cg = new ConjugateGradientSolver(50, 1e-12);
    double[] x = new double[2];
    cg.solve(CholeskySolverTest.equation(new double[] {4, 2, 3}, new double[] {6, 5}), 0.0, x, 0);
    assertArrayClose(x, new double[] {1, 1}, 1e-12, "x");
    assertThat(cg.lastIterations()).isBetween(1, 2);
  }

  @Test
  void matchesGaussianEliminationAndCholeskyOnRandomSystems() {
    Random rnd = new Random(11);
    ConjugateGradientSolver cg = new ConjugateGradientSolver(1000, 1e-12);
    CholeskySolver cholesky = new CholeskySolver();
    for (int k : new int[] {1, 2, 10, 64, 128}) {
      NormalEquation ne = Reference.randomEquation(k, 3 * k + 2, rnd);
      double lambda = 0.1 * k;
      double[] expected = Reference.gaussSolve(Reference.unpack(ne.ata(), k, lambda), ne.atb());
      double[] viaCholesky = new double[k];
      cholesky.solve(ne, lambda, viaCholesky, 0);
      double[] x = new double[k];
      cg.solve(ne, lambda, x, 0);
      assertThat(cg.lastRelativeResidual()).isLessThan(1e-12);
      double scale = Reference.maxAbs(expected);
      for (int i = 0; i < k; i++) {
        assertClose(x[i], expected[i], 1e-9 * scale, "k=" + k + " cg vs gauss x[" + i + "]");
        assertClose(x[i], viaCholesky[i], 1e-9 * scale, "k=" + k + " cg vs cholesky x[" + i + "]");
      }
      // The stopping rule is on the true residual too: ||b - (A + lambda I) x|| < tol ||b|| (with slack for the
      // recurrence drift).
      double[] ax = Reference.times(Reference.unpack(ne.ata(), k, lambda), x);
      double rr = 0.0;
      double bb = 0.0;
      for (int i = 0; i < k; i++) {
        rr += (ne.atb()[i] - ax[i]) * (ne.atb()[i] - ax[i]);
        bb += ne.atb()[i] * ne.atb()[i];
      }
      assertThat(Math.sqrt(rr / bb)).as("true relative residual, k=" + k).isLessThan(1e-10);
    }
  }

  @Test
  void warmStartFromTheExactSolutionTakesNoIterations() {
    Random rnd = new Random(3);
    int k = 40;
    NormalEquation ne = Reference.randomEquation(k, 100, rnd);
    double[] out = new double[k + 3];
    new CholeskySolver().solve(ne, 2.0, out, 3);
    ConjugateGradientSolver cg = new ConjugateGradientSolver(500, 1e-9);
    cg.solve(ne, 2.0, out, 3);
    assertThat(cg.lastIterations()).isLessThanOrEqualTo(1);

    // A cold start on the same system needs real work, so the count above is meaningful.
    Arrays.fill(out, 0.0);
    cg.solve(ne, 2.0, out, 3);
    assertThat(cg.lastIterations()).isGreaterThan(5);
  }

  @Test
  void nonFiniteStartIsTreatedAsColdStart() {
    double[] x = {Double.NaN, 1e300 * 10};
    ConjugateGradientSolver cg = new ConjugateGradientSolver(50, 1e-12);
    cg.solve(CholeskySolverTest.equation(new double[] {4, 2, 3}, new double[] {6, 5}), 0.0, x, 0);
    assertArrayClose(x, new double[] {1, 1}, 1e-12, "x");
  }

  @Test
  void stopsAtMaxIterAndReportsResidual() {
    Random rnd = new Random(5);
    NormalEquation ne = Reference.randomEquation(30, 60, rnd);
    ConjugateGradientSolver cg = new ConjugateGradientSolver(2, 1e-12);
    double[] x = new double[30];
    cg.solve(ne, 0.5, x, 0);
    assertThat(cg.lastIterations()).isEqualTo(2);
    assertThat(cg.lastRelativeResidual()).isGreaterThan(1e-12).isFinite();
  }

  @Test
  void zeroRightHandSideGivesZero() {
    double[] x = {3, 4};
    ConjugateGradientSolver cg = new ConjugateGradientSolver();
    cg.solve(CholeskySolverTest.equation(new double[] {4, 2, 3}, new double[] {0, 0}), 0.0, x, 0);
    assertThat(x).containsExactly(0.0, 0.0);
    assertThat(cg.lastIterations()).isZero();
  }

  @Test
  void zeroCurvatureThrowsSingular() {
    // A = [[1, 0], [0, 0]], b = (1, 1), lambda = 0 (b not in the range of A). From x = 0: r = p = (1, 1),
    // Ap = (1, 0), pAp = 1, alpha = 2, x = (2, 2), r = (-1, 1), beta = 2 / 2 = 1, p = (0, 2), Ap = 0: breakdown.
    NormalEquation ne = CholeskySolverTest.equation(new double[] {1, 0, 0}, new double[] {1, 1});
    assertThatThrownBy(() -> new ConjugateGradientSolver().solve(ne, 0.0, new double[2], 0))
        .isInstanceOf(SingularSystemException.class).hasMessageContaining("apparent rank 1");
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new ConjugateGradientSolver(0, 1e-6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxIter");
    assertThatThrownBy(() -> new ConjugateGradientSolver(10, 0.0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tol");
    assertThatThrownBy(() -> new ConjugateGradientSolver(10, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
