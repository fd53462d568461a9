package io.blockals.kernel;

/**
 * Solves up to {@link #WIDTH} small normal equations at once, one per 256-bit vector lane: at rank 10 (k = 11 with
 * the bias) a row's Cholesky is a few hundred scalar operations in loops one to eleven long, and four rows share
 * every loop and every instruction. It stands for the Cholesky path of a {@link CholeskySolver} (or of {@code auto}
 * at such ranks) and gives its results bit for bit; a system the small Cholesky cannot take (an unusable pivot, a
 * solution that is not finite) goes to that solver, which deals with it, or reports it, as it always has.
 *
 * <p>Not thread-safe: one per task, like the solvers.
 */
public final class LaneSolver {
  /** Systems per call: doubles in a 256-bit vector. */
  public static final int WIDTH = 4;

  private final LeastSquaresSolver fallback;
  private final int k;
  private final double[] a;
  private final double[] lambda = new double[WIDTH];
  private final double[] z;
  private final double[] l;
  private final double[] inv;
  private final double[] pivots;
  private final double[] x;

  /**
   * Package-private so that tests can build one where {@link #standingFor} would not (a JVM without 256-bit vectors,
   * where the Vector API runs its portable fallback).
   */
  LaneSolver(LeastSquaresSolver fallback, int k) {
    this.fallback = fallback;
    this.k = k;
    int size = Packed.size(k);
    a = new double[WIDTH * size];
    z = new double[WIDTH * k];
    l = new double[WIDTH * size];
    inv = new double[WIDTH * k];
    pivots = new double[2 * WIDTH * k];
    x = new double[WIDTH * k];
  }

  /**
   * A lane solver that stands for {@code solver} at rank {@code k}, or null where it cannot: another kind of
   * solver (conjugate gradients, non-negative), a rank above the small Cholesky's, or a JVM without the vector
   * kernel.
   */
  public static LaneSolver standingFor(LeastSquaresSolver solver, int k) {
    boolean cholesky = solver instanceof CholeskySolver
        || (solver instanceof Solvers.AutoSolver && k <= Solvers.AUTO_CHOLESKY_MAX_K);
    if (!cholesky || k > Packed.SMALL_K || !NormalEquation.usesVectorKernel(k)) {
      return null;
    }
    return new LaneSolver(solver, k);
  }

  /**
   * Solves {@code (A + lambdas[q] I) out[q] = b} for the normal equations {@code ne[q]}, {@code q < n}; as
   * {@code n} calls of the solver this stands for would, and with the same exceptions.
   */
  public void solve(NormalEquation[] ne, double[] lambdas, int n, double[][] out) {
    if (n < 1 || n > WIDTH) {
      throw new IllegalArgumentException("n must be 1.." + WIDTH + ", got " + n);
    }
    int size = Packed.size(k);
    for (int q = 0; q < WIDTH; q++) {
      // Lanes past n repeat system 0, so they hold numbers that behave; their results are not read.
      int src = q < n ? q : 0;
      if (ne[src].k() != k) {
        throw new IllegalArgumentException("normal equation of rank " + ne[src].k() + ", expected " + k);
      }
      double[] ata = ne[src].ata();
      double[] atb = ne[src].atb();
      for (int p = 0, t = q; p < size; p++, t += WIDTH) {
        a[t] = ata[p];
      }
      for (int j = 0, t = q; j < k; j++, t += WIDTH) {
        z[t] = atb[j];
      }
      lambda[q] = lambdas[src];
    }
    int usable = VectorKernel.solveSmallLanes(a, k, lambda, z, l, inv, pivots, x);
    for (int q = 0; q < n; q++) {
      boolean done = (usable >>> q & 1) != 0;
      if (done) {
        double[] o = out[q];
        for (int j = 0, t = q; j < k; j++, t += WIDTH) {
          o[j] = x[t];
          done &= Double.isFinite(o[j]);
        }
      }
      if (!done) {
        fallback.solve(ne[q], lambdas[q], out[q], 0);
      }
    }
  }
}
