package io.blockals.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Four systems a call, one per lane: each must come out exactly as the solver it stands for gives it alone. Where this
 * JVM has no vector kernel the engine never builds one, but the tests still do: the Vector API then runs its portable
 * fallback, which must give the same bits.
 */
class LaneSolverTest {

  /** The engine's lane solver for small Cholesky systems of rank k; built directly where the engine would not. */
  private static LaneSolver lanes(int k) {
    LaneSolver engine = LaneSolver.standingFor(new CholeskySolver(), k);
    return engine != null ? engine : new LaneSolver(new CholeskySolver(), k);
  }

  @Test
  void standsOnlyForTheSmallCholesky() {
    if (!NormalEquation.usesVectorKernel(11)) {
      // The scalar kernel: rows are solved one at a time, whatever the solver.
      assertThat(LaneSolver.standingFor(new CholeskySolver(), 11)).isNull();
      assertThat(LaneSolver.standingFor(Solvers.forName("auto", false), 16)).isNull();
      return;
    }
    assertThat(LaneSolver.standingFor(new CholeskySolver(), 11)).isNotNull();
    assertThat(LaneSolver.standingFor(Solvers.forName("auto", false), 16)).isNotNull();
    assertThat(LaneSolver.standingFor(Solvers.forName("auto", false), 17)).isNull();
    assertThat(LaneSolver.standingFor(new ConjugateGradientSolver(), 11)).isNull();
    assertThat(LaneSolver.standingFor(Solvers.forName("auto", true), 11)).as("non-negative").isNull();
  }

  @Test
  void everyLaneEqualsTheSolverAloneToTheLastBit() {
    Random rnd = new Random(17);
    for (int k = 1; k <= Packed.SMALL_K; k++) {
      LaneSolver lanes = lanes(k);
      for (int n = 1; n <= LaneSolver.WIDTH; n++) {
        NormalEquation[] ne = new NormalEquation[LaneSolver.WIDTH];
        double[] lambda = new double[LaneSolver.WIDTH];
        double[][] got = new double[LaneSolver.WIDTH][k];
        for (int q = 0; q < n; q++) {
          // Lambda from 0 (lane 0 above k = 3, with 3k rows so the system is regular) to large; with lambda, from
          // fewer rows than k to many.
          lambda[q] = q == 0 && k > 3 ? 0.0 : Math.pow(10, -3 + 4 * rnd.nextDouble());
          int rows = lambda[q] == 0.0 ? 3 * k : 1 + rnd.nextInt(3 * k);
          ne[q] = Reference.randomEquation(k, rows, rnd);
        }
        lanes.solve(ne, lambda, n, got);
        for (int q = 0; q < n; q++) {
          double[] alone = new double[k];
          new CholeskySolver().solve(ne[q], lambda[q], alone, 0);
          assertThat(got[q]).as("k %d, %d systems, lane %d", k, n, q).containsExactly(alone);
        }
      }
    }
  }

  @Test
  void aSingularSystemIsReportedAsTheSolverReportsIt() {
    Random rnd = new Random(3);
    int k = 11;
    LaneSolver lanes = lanes(k);
    NormalEquation[] ne = new NormalEquation[LaneSolver.WIDTH];
    for (int q = 0; q < ne.length; q++) {
      ne[q] = Reference.randomEquation(k, 40, rnd);
    }
    // Lane 2: 4 rows and no lambda, rank 4 of 11.
    ne[2] = Reference.randomEquation(k, 4, rnd);
    double[] lambda = {0.1, 0.1, 0.0, 0.1};
    assertThatThrownBy(() -> new CholeskySolver().solve(ne[2], 0.0, new double[k], 0))
        .isInstanceOf(SingularSystemException.class).hasMessageContaining("apparent rank 4");
    assertThatThrownBy(() -> lanes.solve(ne, lambda, 4, new double[4][k]))
        .isInstanceOf(SingularSystemException.class).hasMessageContaining("apparent rank 4");
    // Without it, the other lanes solve, each as it would alone.
    NormalEquation[] others = {ne[0], ne[1], ne[3], null};
    double[][] got = new double[4][k];
    lanes.solve(others, new double[] {0.1, 0.1, 0.1, 0}, 3, got);
    for (int q = 0; q < 3; q++) {
      double[] alone = new double[k];
      new CholeskySolver().solve(others[q], 0.1, alone, 0);
      assertThat(got[q]).as("lane %d", q).containsExactly(alone);
    }
  }

  @Test
  void aNonFiniteSolutionIsReportedAsTheSolverReportsIt() {
    LaneSolver lanes = lanes(2);
    NormalEquation fine = CholeskySolverTest.equation(new double[] {2, 0, 2}, new double[] {1, 1});
    NormalEquation huge = CholeskySolverTest.equation(new double[] {1e-300, 0, 1e-300}, new double[] {1e300, 1});
    assertThatThrownBy(() -> new CholeskySolver().solve(huge, 0.0, new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    assertThatThrownBy(() -> lanes.solve(new NormalEquation[] {fine, huge}, new double[2], 2, new double[2][2]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
  }
}
