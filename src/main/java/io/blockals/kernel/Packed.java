package io.blockals.kernel;

/**
 * Dense linear algebra on packed upper-triangular ("U", column-major) symmetric matrices, shared by the solvers.
 * Column {@code j} of the triangle is contiguous, so every inner loop here runs over unit-stride memory.
 */
final class Packed {

  /**
   * A pivot is usable when it keeps more than this fraction of its diagonal entry, i.e. its column is not
   * numerically a combination of the previous ones. Rounding leaves about {@code k * 1e-16} of a truly dependent
   * column; systems conditioned worse than ~1e11 are useless for float factors anyway.
   */
  static final double PIVOT_TOL = 1e-11;

  private Packed() {}

  /** Number of entries of the packed triangle of rank k. */
  static int size(int k) {
    return k * (k + 1) / 2;
  }

  /** Index of the diagonal entry (j, j). */
  static int diag(int j) {
    return j * (j + 3) / 2;
  }

  /** y = (a + lambda I) x for the packed symmetric a; y need not be cleared. */
  static void multiply(double[] a, int k, double lambda, double[] x, double[] y) {
    int cj = 0;
    for (int j = 0; j < k; j++) {
      double xj = x[j];
      double s = 0.0;
      for (int i = 0; i < j; i++) {
        double aij = a[cj + i];
        y[i] += aij * xj;
        s += aij * x[i];
      }
      // Columns before j never touch y[j], so this is its first write.
      y[j] = s + (a[cj + j] + lambda) * xj;
      cj += j + 1;
    }
  }

  /** Dot product of a[ao .. ao+n) and b[bo .. bo+n), four independent sums to hide the add latency. */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += a[ao + i] * b[bo + i];
      s1 += a[ao + i + 1] * b[bo + i + 1];
      s2 += a[ao + i + 2] * b[bo + i + 2];
      s3 += a[ao + i + 3] * b[bo + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[ao + i] * b[bo + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * In-place Cholesky factorisation {@code A = U^T U} of a packed symmetric matrix (LAPACK dpptrf, "U"), without
   * pivoting. A column whose pivot is not usable (see {@link #PIVOT_TOL}) gets a zero row in U and the
   * factorisation carries on, so the return value is the numerical rank of a positive semi-definite A; the
   * factor is only usable for solving when the result equals k.
   *
   * @return the number of usable pivots
   * @throws IllegalArgumentException if a pivot is NaN or infinite
   */
  static int choleskyInPlace(double[] u, int k) {
    int rank = 0;
    int cj = 0;
    for (int j = 0; j < k; j++) {
      int ci = 0;
      for (int i = 0; i < j; i++) {
        double uii = u[ci + i];
        // A dependent column i has uii == 0 and, for a PSD matrix, a zero row in the Schur complement.
        u[cj + i] = uii > 0.0 ? (u[cj + i] - dot(u, ci, u, cj, i)) / uii : 0.0;
        ci += i + 1;
      }
      double ajj = u[cj + j];
      double d = ajj - dot(u, cj, u, cj, j);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("normal equations contain NaN or infinite values (pivot " + j
            + " is " + d + "); check the input ratings and the factors");
      }
      if (ajj > 0.0 && d > PIVOT_TOL * ajj) {
        u[cj + j] = Math.sqrt(d);
        rank++;
      } else {
        u[cj + j] = 0.0;
      }
      cj += j + 1;
    }
    return rank;
  }

  /**
   * Solves {@code U^T U x = z} in place for a full-rank factor from {@link #choleskyInPlace}: on return z holds x.
   */
  static void choleskySolve(double[] u, int k, double[] z) {
    int cj = 0;
    for (int j = 0; j < k; j++) {
      z[j] = (z[j] - dot(u, cj, z, 0, j)) / u[cj + j];
      cj += j + 1;
    }
    // Back substitution column by column keeps the reads of U contiguous.
    for (int j = k - 1; j >= 0; j--) {
      cj = j * (j + 1) / 2;
      double xj = z[j] / u[cj + j];
      z[j] = xj;
      for (int p = 0; p < j; p++) {
        z[p] -= u[cj + p] * xj;
      }
    }
  }

  /**
   * Right-looking Cholesky {@code A = U^T U} on a row-per-array upper triangle: on entry {@code rows[i][j]},
   * {@code j >= i}, holds A (the lower part is ignored), on return U. Same rank rule and semi-definite
   * continuation as {@link #choleskyInPlace}; {@code diag} receives a copy of A's diagonal. This form exists for
   * speed: its trailing update {@code rows[j][l] -= s * rows[i][l]} uses one index on two arrays, which JDK 17's C2
   * vectorises, whereas the packed form's dot products stay scalar.
   *
   * @return the number of usable pivots
   * @throws IllegalArgumentException if a pivot is NaN or infinite
   */
  static int choleskyRows(double[][] rows, int k, double[] diag) {
    for (int i = 0; i < k; i++) {
      diag[i] = rows[i][i];
    }
    // Pivots are taken four at a time. Inside a group each row takes the group's earlier steps one by one and then
    // becomes a pivot row; every later row then takes the four steps' updates in one pass,
    // (((u_j - s0 u_i) - s1 u_i+1) - s2 u_i+2) - s3 u_i+3 element by element. That is the order of four single steps,
    // so the factor is the same to the last bit, but a pass reads five rows and writes one per four
    // multiply-subtracts instead of one. JMH SolverBench.cholesky: k = 64 15.0-15.8 -> 9.5 us, k = 128 89-92 -> 46-47 us.
    int rank = 0;
    for (int i = 0; i < k; i += GROUP) {
      int g = Math.min(GROUP, k - i);
      for (int t = 0; t < g; t++) {
        double[] ut = rows[i + t];
        if (pivot(ut, i + t, k, diag[i + t])) {
          rank++;
          for (int j = i + t + 1; j < i + g; j++) {
            step(ut, ut[j], rows[j], j, k);
          }
        }
      }
      if (g < GROUP) {
        break;
      }
      // An unusable pivot row is all zeros from its diagonal on, so its multipliers are 0 and it updates nothing.
      double[] u0 = rows[i];
      double[] u1 = rows[i + 1];
      double[] u2 = rows[i + 2];
      double[] u3 = rows[i + 3];
      for (int j = i + GROUP; j < k; j++) {
        double s0 = u0[j];
        double s1 = u1[j];
        double s2 = u2[j];
        double s3 = u3[j];
        double[] uj = rows[j];
        if (s0 != 0.0 && s1 != 0.0 && s2 != 0.0 && s3 != 0.0) {
          for (int l = j; l < k; l++) {
            uj[l] = uj[l] - s0 * u0[l] - s1 * u1[l] - s2 * u2[l] - s3 * u3[l];
          }
        } else {
          step(u0, s0, uj, j, k);
          step(u1, s1, uj, j, k);
          step(u2, s2, uj, j, k);
          step(u3, s3, uj, j, k);
        }
      }
    }
    return rank;
  }

  /** Pivots {@link #choleskyRows} takes per pass over the trailing rows. */
  private static final int GROUP = 4;

  /** One step's update of row {@code uj} from pivot row {@code ui} with multiplier {@code s} (none when 0). */
  private static void step(double[] ui, double s, double[] uj, int j, int k) {
    if (s != 0.0) {
      for (int l = j; l < k; l++) {
        uj[l] -= s * ui[l];
      }
    }
  }

  /**
   * Step {@code i}'s pivot: scales row {@code i} by its root and returns true, or, when the pivot is too small
   * against the original diagonal {@code di}, zeroes the row from the diagonal on and returns false.
   *
   * @throws IllegalArgumentException if the pivot is NaN or infinite
   */
  private static boolean pivot(double[] ui, int i, int k, double di) {
    double d = ui[i];
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("normal equations contain NaN or infinite values (pivot " + i
          + " is " + d + "); check the input ratings and the factors");
    }
    if (di > 0.0 && d > PIVOT_TOL * di) {
      double uii = Math.sqrt(d);
      ui[i] = uii;
      double inv = 1.0 / uii;
      for (int j = i + 1; j < k; j++) {
        ui[j] *= inv;
      }
      return true;
    }
    for (int j = i; j < k; j++) {
      ui[j] = 0.0;
    }
    return false;
  }

  /** Solves {@code U^T U x = z} in place for a full-rank factor from {@link #choleskyRows}. */
  static void choleskySolveRows(double[][] rows, int k, double[] z) {
    for (int i = 0; i < k; i++) {
      double[] ui = rows[i];
      double zi = z[i] / ui[i];
      z[i] = zi;
      for (int j = i + 1; j < k; j++) {
        z[j] -= ui[j] * zi;
      }
    }
    for (int i = k - 1; i >= 0; i--) {
      double[] ui = rows[i];
      z[i] = (z[i] - dot(ui, i + 1, z, i + 1, k - i - 1)) / ui[i];
    }
  }

  /** Up to this k, {@link #solveSmall} is the faster Cholesky (k = 11: 394 against 551 ns a solve; even at 21). */
  static final int SMALL_K = 16;

  /**
   * Solves {@code (A + lambda I) x = z} for small k in one pass over the packed {@code a}: a left-looking Cholesky
   * {@code A = L L^T} (row j of L is the packed column j of A, so every inner loop is a short contiguous dot product),
   * with the reciprocal pivots kept for the two triangular solves. Returns false, leaving {@code x} undefined, when a
   * pivot is not usable by the test of {@link #choleskyRows} (or is NaN); the caller then takes the general path,
   * which reports the rank or the bad input.
   *
   * @param l scratch of size(k); @param inv scratch of k; @param x receives the solution
   */
  static boolean solveSmall(double[] a, int k, double lambda, double[] z, double[] l, double[] inv, double[] x) {
    int pj = 0;
    for (int j = 0; j < k; j++) {
      int pi = 0;
      for (int i = 0; i < j; i++) {
        double s = a[pj + i];
        for (int m = 0; m < i; m++) {
          s -= l[pi + m] * l[pj + m];
        }
        l[pj + i] = s * inv[i];
        pi += i + 1;
      }
      double ajj = a[pj + j] + lambda;
      double d = ajj;
      for (int m = 0; m < j; m++) {
        d -= l[pj + m] * l[pj + m];
      }
      if (!(ajj > 0.0 && d > PIVOT_TOL * ajj) || Double.isInfinite(d)) {
        return false;
      }
      double ljj = Math.sqrt(d);
      l[pj + j] = ljj;
      inv[j] = 1.0 / ljj;
      pj += j + 1;
    }
    // L y = z, then L^T x = y (column i of L^T is row i of L).
    pj = 0;
    for (int j = 0; j < k; j++) {
      double s = z[j];
      for (int m = 0; m < j; m++) {
        s -= l[pj + m] * x[m];
      }
      x[j] = s * inv[j];
      pj += j + 1;
    }
    for (int i = k - 1; i >= 0; i--) {
      double xi = x[i] * inv[i];
      x[i] = xi;
      int pi = i * (i + 1) / 2;
      for (int m = 0; m < i; m++) {
        x[m] -= l[pi + m] * xi;
      }
    }
    return true;
  }

  /** Copies the packed {@code a + lambda I} into the upper triangle of {@code rows}. */
  static void unpackShifted(double[] a, int k, double lambda, double[][] rows) {
    int p = 0;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i <= j; i++) {
        rows[i][j] = a[p++];
      }
      rows[j][j] += lambda;
    }
  }

  /** Copies {@code a + lambda I} into {@code u}. */
  static void copyShifted(double[] a, int k, double lambda, double[] u) {
    System.arraycopy(a, 0, u, 0, size(k));
    if (lambda != 0.0) {
      for (int j = 0; j < k; j++) {
        u[diag(j)] += lambda;
      }
    }
  }

  /** The numerical rank of {@code a + lambda I}, using {@code scratch} (at least size(k) long). */
  static int rank(double[] a, int k, double lambda, double[] scratch) {
    copyShifted(a, k, lambda, scratch);
    return choleskyInPlace(scratch, k);
  }

  /** Checks a solver's common arguments. */
  static void checkSolveArgs(NormalEquation ne, double lambda, double[] out, int off) {
    if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and >= 0 but was " + lambda);
    }
    int k = ne.k();
    if (off < 0 || (long) off + k > out.length) {
      throw new IllegalArgumentException(
          "out[" + off + " .. " + ((long) off + k) + ") is outside an array of length " + out.length);
    }
  }

  /** Throws if the solution is not finite (NaN or infinite input that slipped past the pivots). */
  static void checkFinite(double[] x, int k) {
    for (int i = 0; i < k; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException(
            "solution is not finite (x[" + i + "] = " + x[i] + "); check the input ratings and the factors");
      }
    }
  }
}
