package io.blockals.kernel;

import java.util.Locale;

/** Maps the {@code solver} and {@code nonnegative} configuration keys to a {@link LeastSquaresSolver}. */
public final class Solvers {

  /** The names {@link #forName} accepts. */
  public static final String VALID_NAMES = "auto, cholesky, cg";

  /** With {@code solver = auto}, ranks up to this use Cholesky and larger ones conjugate gradients. */
  public static final int AUTO_CHOLESKY_MAX_RANK = 128;

  private Solvers() {}

  /**
   * Returns a new solver instance (not thread-safe; create one per task).
   *
   * @param name {@code "cholesky"}, {@code "cg"} (conjugate gradients with the default tolerance, warm-started from
   *     the output array) or {@code "auto"} (Cholesky for {@code k <= 128}, CG above); case-insensitive
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

  /** Cholesky for small ranks, where {@code k^3 / 6} is cheap, CG for large ones. */
  static final class AutoSolver implements LeastSquaresSolver {
    private static final long serialVersionUID = 1L;

    private final CholeskySolver cholesky = new CholeskySolver();
    private final ConjugateGradientSolver cg = new ConjugateGradientSolver();

    @Override
    public void solve(NormalEquation ne, double lambda, double[] out, int off) {
      if (ne.k() <= AUTO_CHOLESKY_MAX_RANK) {
        cholesky.solve(ne, lambda, out, off);
      } else {
        cg.solve(ne, lambda, out, off);
      }
    }
  }
}
