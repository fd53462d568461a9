package io.blockals.kernel;

import java.util.Arrays;
import java.util.Random;

/** Slow, obviously correct helpers for cross-checking the kernel: full matrices and Gaussian elimination. */
public final class Reference {
  private Reference() {}

  /** The full symmetric matrix {@code packed + lambda I}, read from the documented packed layout. */
  static double[][] unpack(double[] packed, int k, double lambda) {
    double[][] m = new double[k][k];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i <= j; i++) {
        m[i][j] = packed[i + j * (j + 1) / 2];
        m[j][i] = m[i][j];
      }
      m[j][j] += lambda;
    }
    return m;
  }

  /** Solves m x = b by Gaussian elimination with partial pivoting (m and b are copied). */
  public static double[] gaussSolve(double[][] m, double[] b) {
    int k = b.length;
    double[][] a = new double[k][];
    for (int i = 0; i < k; i++) {
      a[i] = Arrays.copyOf(m[i], k + 1);
      a[i][k] = b[i];
    }
    for (int col = 0; col < k; col++) {
      int piv = col;
      for (int r = col + 1; r < k; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
          piv = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[piv];
      a[piv] = tmp;
      for (int r = col + 1; r < k; r++) {
        double f = a[r][col] / a[col][col];
        for (int c = col; c <= k; c++) {
          a[r][c] -= f * a[col][c];
        }
      }
    }
    double[] x = new double[k];
    for (int r = k - 1; r >= 0; r--) {
      double s = a[r][k];
      for (int c = r + 1; c < k; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** m x for a full matrix. */
  static double[] times(double[][] m, double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        y[i] += m[i][j] * x[j];
      }
    }
    return y;
  }

  /** An equation from n Gaussian rows with weights in [0.5, 1.5) and Gaussian right-hand sides. */
  static NormalEquation randomEquation(int k, int n, Random rnd) {
    NormalEquation ne = new NormalEquation(k);
    float[] a = new float[k];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < k; i++) {
        a[i] = (float) rnd.nextGaussian();
      }
      ne.add(a, 0, rnd.nextGaussian(), 0.5 + rnd.nextDouble());
    }
    return ne;
  }

  static double maxAbs(double[] v) {
    double m = 0.0;
    for (double d : v) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }
}
