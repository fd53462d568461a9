package io.blockals.kernel;

import java.util.Arrays;

/**
 * Iterative solver: conjugate gradients on {@code (ata + lambda I) x = atb}, one packed matrix-vector product
 * ({@code k^2} multiply-adds) per iteration, so it beats Cholesky's {@code k^3 / 6} when it needs fewer than about
 * {@code k / 6} iterations, which is the usual case for large ranks once ALS has warmed up.
 *
 * <p><b>Warm start:</b> the iteration starts from the vector already in {@code out[off .. off + k)} (the row's
 * factor from the previous ALS iteration, or zeros for a cold start; a non-finite start is replaced by zeros).
 * It stops when the relative residual {@code ||atb - (ata + lambda I) x|| / ||atb||} drops below {@code tol} or
 * after {@code maxIter} iterations, returning the current iterate in that case ({@link #lastIterations()} and
 * {@link #lastRelativeResidual()} tell which). With {@code lambda = 0} and a singular but consistent system (as
 * {@code ata = Y^T Y}, {@code atb = Y^T r} always is) CG may converge to one of the least-squares solutions instead
 * of failing; it throws {@link SingularSystemException} only when it meets a direction of zero curvature.
 *
 * <p>Not thread-safe: the scratch arrays and the statistics of the last solve belong to the instance.
 */
public final class ConjugateGradientSolver implements LeastSquaresSolver {
  private static final long serialVersionUID = 1L;

  /** Default iteration cap used by {@link Solvers#forName}. */
  public static final int DEFAULT_MAX_ITER = 200;
  /** Default relative residual used by {@link Solvers#forName}. */
  public static final double DEFAULT_TOL = 1e-10;

  private final int maxIter;
  private final double tol;

  private transient double[] x;
  private transient double[] r;
  private transient double[] p;
  private transient double[] q;
  private int lastIterations;
  private double lastRelativeResidual;

  /** A solver with {@link #DEFAULT_MAX_ITER} and {@link #DEFAULT_TOL}. */
  public ConjugateGradientSolver() {
    this(DEFAULT_MAX_ITER, DEFAULT_TOL);
  }

  /**
   * @param maxIter the most iterations per solve, {@code >= 1}
   * @param tol the target relative residual, in {@code (0, 1)}
   * @throws IllegalArgumentException otherwise
   */
  public ConjugateGradientSolver(int maxIter, double tol) {
    if (maxIter < 1) {
      throw new IllegalArgumentException("maxIter must be >= 1 but was " + maxIter);
    }
    if (!(tol > 0.0 && tol < 1.0)) {
      throw new IllegalArgumentException("tol must be in (0, 1) but was " + tol);
    }
    this.maxIter = maxIter;
    this.tol = tol;
  }

  public int maxIter() {
    return maxIter;
  }

  public double tol() {
    return tol;
  }

  /** Iterations taken by the last solve (0 when its starting point already met the tolerance). */
  public int lastIterations() {
    return lastIterations;
  }

  /** Relative residual (recurrence estimate) at the end of the last solve. */
  public double lastRelativeResidual() {
    return lastRelativeResidual;
  }

  @Override
  public void solve(NormalEquation ne, double lambda, double[] out, int off) {
    Packed.checkSolveArgs(ne, lambda, out, off);
    final int k = ne.k();
    ensureScratch(k);
    final double[] a = ne.ata();
    final double[] b = ne.atb();
    lastIterations = 0;

    double bb = Packed.dot(b, 0, b, 0, k);
    if (!Double.isFinite(bb)) {
      throw new IllegalArgumentException("atb contains NaN or infinite values; check the input ratings");
    }
    if (bb == 0.0) {
      // The unique solution of a positive definite system with zero right-hand side.
      for (int i = 0; i < k; i++) {
        out[off + i] = 0.0;
      }
      lastRelativeResidual = 0.0;
      return;
    }
    boolean finiteStart = true;
    for (int i = 0; i < k; i++) {
      double v = out[off + i];
      finiteStart &= Double.isFinite(v);
      x[i] = v;
    }
    if (!finiteStart) {
      Arrays.fill(x, 0, k, 0.0);
    }
    Packed.multiply(a, k, lambda, x, q);
    for (int i = 0; i < k; i++) {
      r[i] = b[i] - q[i];
      p[i] = r[i];
    }
    double rr = Packed.dot(r, 0, r, 0, k);
    double limit = tol * tol * bb;
    int it = 0;
    while (!(rr < limit) && it < maxIter) {
      Packed.multiply(a, k, lambda, p, q);
      double pq = Packed.dot(p, 0, q, 0, k);
      if (!(pq > 0.0)) {
        if (Double.isNaN(pq)) {
          throw new IllegalArgumentException("normal equations contain NaN or infinite values; check the input");
        }
        double[] scratch = new double[Packed.size(k)]; // failure path only
        throw new SingularSystemException(k, Math.min(k - 1, Packed.rank(a, k, lambda, scratch)), lambda);
      }
      double alpha = rr / pq;
      for (int i = 0; i < k; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * q[i];
      }
      double rrNew = Packed.dot(r, 0, r, 0, k);
      double beta = rrNew / rr;
      for (int i = 0; i < k; i++) {
        p[i] = r[i] + beta * p[i];
      }
      rr = rrNew;
      it++;
    }
    lastIterations = it;
    lastRelativeResidual = Math.sqrt(rr / bb);
    Packed.checkFinite(x, k);
    System.arraycopy(x, 0, out, off, k);
  }

  private void ensureScratch(int k) {
    if (x == null || x.length < k) {
      x = new double[k];
      r = new double[k];
      p = new double[k];
      q = new double[k];
    }
  }
}
