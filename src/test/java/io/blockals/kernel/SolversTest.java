package io.blockals.kernel;

import static io.blockals.Approx.assertArrayClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SolversTest {

  @Test
  void mapsValidNames() {
    assertThat(Solvers.forName("cholesky", false)).isInstanceOf(CholeskySolver.class);
    assertThat(Solvers.forName("CG", false)).isInstanceOf(ConjugateGradientSolver.class);
    assertThat(Solvers.forName(" Auto ", false)).isInstanceOf(Solvers.AutoSolver.class);
    for (String name : new String[] {"cholesky", "cg", "auto"}) {
      assertThat(Solvers.forName(name, true)).as(name).isInstanceOf(NNLSSolver.class);
    }
    // A new instance each time: solvers are not thread-safe.
    assertThat(Solvers.forName("cholesky", false)).isNotSameAs(Solvers.forName("cholesky", false));
  }

  @Test
  void onlyTheIterativeSolverWarmStarts() {
    assertThat(new Solvers.Spec("cg", false, 10).warmStart()).isTrue();
    assertThat(new Solvers.Spec("cholesky", false, 300).warmStart()).isFalse();
    // auto is Cholesky up to AUTO_CHOLESKY_MAX_K (257: rank 256 and a bias) unknowns and CG above it
    assertThat(new Solvers.Spec("auto", false, 257).warmStart()).isFalse();
    assertThat(new Solvers.Spec("auto", false, 258).warmStart()).isTrue();
    // NNLS never starts from the previous solution, whatever the name
    assertThat(new Solvers.Spec("cg", true, 10).warmStart()).isFalse();
    assertThat(new Solvers.Spec("auto", true, 300).warmStart()).isFalse();
    assertThat(new Solvers.Spec("cg", true, 10).newSolver()).isInstanceOf(NNLSSolver.class);
    assertThatThrownBy(() -> new Solvers.Spec("qr", false, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnknownNamesListingTheValidOnes() {
    for (String bad : new String[] {"qr", "", "nnls"}) {
      assertThatThrownBy(() -> Solvers.forName(bad, false)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'").hasMessageContaining("auto, cholesky, cg");
    }
    assertThatThrownBy(() -> Solvers.forName("qr", true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Solvers.forName(null, false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void autoUsesCholeskyUpToItsLimitAndCgAbove() {
    // Told apart by a singular but consistent system (lambda = 0, fewer rows than k, atb = Y^T r): Cholesky
    // refuses it, CG converges inside the range of Y^T.
    LeastSquaresSolver auto = Solvers.forName("auto", false);
    Random rnd = new Random(1);
    NormalEquation small = Reference.randomEquation(Solvers.AUTO_CHOLESKY_MAX_K, 5, rnd);
    assertThatThrownBy(() -> auto.solve(small, 0.0, new double[small.k()], 0))
        .isInstanceOf(SingularSystemException.class).hasMessageContaining("apparent rank 5");

    NormalEquation large = Reference.randomEquation(Solvers.AUTO_CHOLESKY_MAX_K + 2, 5, rnd);
    double[] x = new double[large.k()];
    auto.solve(large, 0.0, x, 0);
    double[] ax = Reference.times(Reference.unpack(large.ata(), large.k(), 0.0), x);
    double scale = Reference.maxAbs(large.atb());
    assertArrayClose(ax, large.atb(), 1e-7 * scale, "A x = b for k=130");
  }

  @Test
  void autoSolvesRegularSystemsLikeCholesky() {
    Random rnd = new Random(2);
    for (int k : new int[] {8, 140}) {
      NormalEquation ne = Reference.randomEquation(k, 3 * k, rnd);
      double[] expected = Reference.gaussSolve(Reference.unpack(ne.ata(), k, 1.0), ne.atb());
      double[] x = new double[k];
      Solvers.forName("auto", false).solve(ne, 1.0, x, 0);
      assertArrayClose(x, expected, 1e-7 * Reference.maxAbs(expected), "k=" + k);
    }
  }
}
