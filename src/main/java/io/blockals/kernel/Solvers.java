package io.blockals.kernel;

import java.util.Locale;

/** Maps the {@code solver} and {@code nonnegative} configuration keys to a {@link LeastSquaresSolver}. */
public final class Solvers {

  /** The names {@link #forName} accepts. */
  public static final String VALID_NAMES = "auto, cholesky, cg";

  /**
   * With {@code solver = auto}, normal equations of up to this many unknowns (rank 256 plus the bias column) use
   * Cholesky and larger ones conjugate gradients. Measured by {@code bench/solver-bench.sh} on 3M ratings: Cholesky
   * takes less time per iteration at rank 64, 128 and 256 (1.45 / 5.0 / 22.0 s against CG's 2.15 / 7.4 / 26.4 s) and
   * reaches the same loss; larger ranks were not measured.
   */
  public static final int AUTO_CHOLESKY_MAX_K = 257;

  private Solvers() {}

  /**
   * What a {@code solver} setting means for one system size, decided here once: which solver runs and whether it
   * starts from the previous solution (only the iterative one does, so only then must a half-step ship last
   * iteration's factors to its tasks).
   *
   * @param name the validated name ({@code cholesky}, {@code cg} or {@code auto})
   * @param nonnegative whether factors must be {@code >= 0} (then NNLS, never warm-started)
   * @param dim the system size (rank, plus one with biases)
   */
  public record Spec(String name, boolean nonnegative, int dim) implements java.io.Serializable {
    public Spec {
      forName(name, nonnegative);
    }

    /** A new solver instance for a task (solvers are not thread-safe). */
    public LeastSquaresSolver newSolver() {
      return forName(name, nonnegative);
    }

    /** Whether the solver starts from the previous solution. */
    public boolean warmStart() {
      return !nonnegative && ("cg".equals(name) || ("auto".equals(name) && dim > AUTO_CHOLESKY_MAX_K));
    }
  }

  /**
   * Returns a new solver instance (not thread-safe; create one per task).
   *
   * @param name {@code "cholesky"}, {@code "cg"} (conjugate gradients with the default tolerance, warm-started from
   *     the output array) or {@code "auto"} (Cholesky for {@code k <= 257}, CG above); case-insensitive
   * @param nonnegative whether factors must be {@code >= 0}; then the result is an {@link NNLSSolver} whatever the
   *     (valid) name
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static LeastSquaresSolver forName(String name, boolean nonnegative) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    LeastSquaresSolver solver;
    switch (key) {
      case "cholesky":
        solver = new CholeskySolver();
        break;
      case "cg":
        solver = new ConjugateGradientSolver();
        break;
      case "auto":
        solver = new AutoSolver();
        break;
      default:
        throw new IllegalArgumentException(
            "unknown solver '" + name + "'; valid names are: " + VALID_NAMES);
    }
    return nonnegative ? new NNLSSolver() : solver;
  }

  /** Cholesky up to {@link #AUTO_CHOLESKY_MAX_K} unknowns, CG above. */
  static final class AutoSolver implements LeastSquaresSolver {
    private static final long serialVersionUID = 1L;

    private final CholeskySolver cholesky = new CholeskySolver();
    private final ConjugateGradientSolver cg = new ConjugateGradientSolver();

    @Override
    public void solve(NormalEquation ne, double lambda, double[] out, int off) {
      if (ne.k() <= AUTO_CHOLESKY_MAX_K) {
        cholesky.solve(ne, lambda, out, off);
      } else {
        cg.solve(ne, lambda, out, off);
      }
    }
  }
}
