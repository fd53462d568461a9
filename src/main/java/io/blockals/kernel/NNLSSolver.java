package io.blockals.kernel;

/**
 * Non-negative solver: minimises {@code 1/2 x^T (ata + lambda I) x - atb^T x} subject to {@code x >= 0}, which is
 * the regularised least-squares problem of the row with non-negative factors.
 *
 * <p>Active-set method of Lawson and Hanson in the normal-equation form of Bro and de Jong ("fast NNLS"): indices
 * move into the passive (free) set while the gradient says the objective still falls along them, each passive set
 * is solved exactly by a packed Cholesky of its sub-matrix, and a step that would make a free variable negative is
 * cut short at the boundary. It terminates in finitely many steps with the exact solution (up to rounding), so on
 * small problems the result satisfies the KKT conditions: {@code x >= 0}, gradient {@code >= 0} where
 * {@code x = 0} and {@code = 0} where {@code x > 0}. A cap of {@code 3k} outer steps guards against cycling caused
 * by rounding; the (feasible) iterate reached is returned then. With {@code lambda > 0} every sub-system is positive
 * definite; with {@code lambda = 0} a singular sub-system raises {@link SingularSystemException} (reporting the
 * apparent rank of the whole system), though a singular {@code ata} whose optimum avoids the dependent columns is
 * still solved.
 *
 * <p>Not thread-safe: the scratch arrays belong to the instance.
 */
public final class NNLSSolver implements LeastSquaresSolver {
  private static final long serialVersionUID = 1L;

  /** Gradient entries below this fraction of max|atb| count as zero. */
  private static final double DUAL_TOL = 1e-11;

  private transient double[] x;
  private transient double[] s;
  private transient double[] w;
  private transient double[] sub;
  private transient double[] rhs;
  private transient int[] passive;
  private transient boolean[] isPassive;
  private int lastIterations;

  /** Outer (add-an-index) steps of the last solve. */
  public int lastIterations() {
    return lastIterations;
  }

  @Override
  public void solve(NormalEquation ne, double lambda, double[] out, int off) {
    Packed.checkSolveArgs(ne, lambda, out, off);
    final int k = ne.k();
    ensureScratch(k);
    final double[] a = ne.ata();
    final double[] b = ne.atb();

    double bMax = 0.0;
    for (int i = 0; i < k; i++) {
      if (!Double.isFinite(b[i])) {
        throw new IllegalArgumentException("atb contains NaN or infinite values; check the input ratings");
      }
      bMax = Math.max(bMax, Math.abs(b[i]));
      x[i] = 0.0;
      isPassive[i] = false;
      w[i] = b[i]; // w = b - A x with x = 0
    }
    final double dualTol = DUAL_TOL * bMax;
    int np = 0;
    int outer = 0;
    final int maxOuter = 3 * k;
    while (outer < maxOuter) {
      int t = -1;
      double best = dualTol;
      for (int i = 0; i < k; i++) {
        if (!isPassive[i] && w[i] > best) {
          best = w[i];
          t = i;
        }
      }
      if (t < 0) {
        break;
      }
      outer++;
      isPassive[t] = true;
      np = collectPassive(k);
      solvePassive(a, b, k, lambda, np);
      if (!(s[t] > 0.0)) {
        // Theory guarantees s[t] > 0 when w[t] > 0; otherwise w[t] was rounding noise and x is optimal.
        isPassive[t] = false;
        break;
      }
      // Inner loop: while the unconstrained passive solution leaves the feasible set, step to the boundary and
      // drop the variables that hit zero; each round removes at least one index, so it ends.
      while (true) {
        double alpha = Double.POSITIVE_INFINITY;
        int hit = -1;
        for (int m = 0; m < np; m++) {
          int i = passive[m];
          if (s[i] <= 0.0) {
            double ratio = x[i] / (x[i] - s[i]);
            if (ratio < alpha) {
              alpha = ratio;
              hit = i;
            }
          }
        }
        if (hit < 0) {
          for (int m = 0; m < np; m++) {
            x[passive[m]] = s[passive[m]];
          }
          break;
        }
        for (int m = 0; m < np; m++) {
          int i = passive[m];
          x[i] += alpha * (s[i] - x[i]);
        }
        x[hit] = 0.0;
        for (int m = 0; m < np; m++) {
          int i = passive[m];
          if (x[i] <= 0.0) {
            x[i] = 0.0;
            isPassive[i] = false;
          }
        }
        np = collectPassive(k);
        if (np == 0) {
          break;
        }
        solvePassive(a, b, k, lambda, np);
      }
      // w = b - (A + lambda I) x
      Packed.multiply(a, k, lambda, x, w);
      for (int i = 0; i < k; i++) {
        w[i] = b[i] - w[i];
      }
    }
    lastIterations = outer;
    Packed.checkFinite(x, k);
    System.arraycopy(x, 0, out, off, k);
  }

  private int collectPassive(int k) {
    int np = 0;
    for (int i = 0; i < k; i++) {
      if (isPassive[i]) {
        passive[np++] = i;
      }
    }
    return np;
  }

  /** s = solution of the system restricted to the passive set (ascending indices), 0 elsewhere. */
  private void solvePassive(double[] a, double[] b, int k, double lambda, int np) {
    int q = 0;
    for (int cb = 0; cb < np; cb++) {
      int j = passive[cb];
      int cj = j * (j + 1) / 2;
      for (int ca = 0; ca < cb; ca++) {
        sub[q++] = a[cj + passive[ca]];
      }
      sub[q++] = a[cj + j] + lambda;
      rhs[cb] = b[j];
    }
    int rank = Packed.choleskyInPlace(sub, np);
    if (rank < np) {
      throw new SingularSystemException(k, Math.min(k - 1, Packed.rank(a, k, lambda, sub)), lambda);
    }
    Packed.choleskySolve(sub, np, rhs);
    for (int i = 0; i < k; i++) {
      s[i] = 0.0;
    }
    for (int m = 0; m < np; m++) {
      s[passive[m]] = rhs[m];
    }
  }

  private void ensureScratch(int k) {
    if (x == null || x.length < k) {
      x = new double[k];
      s = new double[k];
      w = new double[k];
      sub = new double[Packed.size(k)];
      rhs = new double[k];
      passive = new int[k];
      isPassive = new boolean[k];
    }
  }
}
