package io.blockals.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deliberately naive single-threaded ALS over primitive arrays: the "what one core does without Spark" yardstick of
 * the benchmark (blockals on two cores is compared with it: the fit should take at most 0.6x of its time).
 * Explicit feedback, ALS-WR weighting ({@code lambda * n} on the diagonal, as MLlib and blockals), ratings centred on
 * their mean instead of learned biases, one rank-1 update per rating and a textbook Cholesky per row. No blocking,
 * no vectorisation tricks, no kernel package: it must stay the plain loop a reader would write.
 */
public final class PlainAls {
  private PlainAls() {}

  /** The trained model: {@code mean + dot(U[u], V[i])}. */
  public record Model(int rank, double mean, float[] userFactors, float[] itemFactors) {}

  /**
   * Fits {@code iterations} rounds (users, then items) from random unit-length item factors.
   *
   * @param numUsers users are {@code 0 .. numUsers - 1}
   * @param numItems items are {@code 0 .. numItems - 1}
   */
  public static Model fit(int numUsers, int numItems, int[] users, int[] items, float[] ratings, int rank,
      int iterations, double reg, long seed) {
    int n = users.length;
    if (items.length != n || ratings.length != n) {
      throw new IllegalArgumentException("users, items and ratings differ in length");
    }
    if (rank < 1 || iterations < 0 || !(reg >= 0)) {
      throw new IllegalArgumentException("need rank >= 1, iterations >= 0 and reg >= 0");
    }
    double sum = 0;
    for (float r : ratings) {
      sum += r;
    }
    double mean = n == 0 ? 0 : sum / n;
    Csr byUser = Csr.of(numUsers, users, items, ratings, mean);
    Csr byItem = Csr.of(numItems, items, users, ratings, mean);
    double[] u = new double[numUsers * rank];
    double[] v = new double[numItems * rank];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < numItems; i++) {
      double norm = 0;
      for (int f = 0; f < rank; f++) {
        double x = rnd.nextDouble() - 0.5;
        v[i * rank + f] = x;
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int f = 0; f < rank; f++) {
        v[i * rank + f] /= norm;
      }
    }
    double[] a = new double[rank * rank];
    double[] b = new double[rank];
    for (int it = 0; it < iterations; it++) {
      solveSide(byUser, v, u, rank, reg, a, b);
      solveSide(byItem, u, v, rank, reg, a, b);
    }
    return new Model(rank, mean, toFloat(u), toFloat(v));
  }

  /** Every row of {@code out} from the normal equations over its ratings' rows of {@code other}. */
  private static void solveSide(Csr m, double[] other, double[] out, int k, double reg, double[] a, double[] b) {
    for (int row = 0; row < m.rows; row++) {
      int from = m.offsets[row];
      int to = m.offsets[row + 1];
      if (from == to) {
        continue;
      }
      Arrays.fill(a, 0.0);
      Arrays.fill(b, 0.0);
      for (int p = from; p < to; p++) {
        int y = m.cols[p] * k;
        double r = m.values[p];
        for (int i = 0; i < k; i++) {
          double yi = other[y + i];
          b[i] += r * yi;
          int ai = i * k;
          for (int j = 0; j <= i; j++) {
            a[ai + j] += yi * other[y + j];
          }
        }
      }
      double lambda = reg * (to - from);
      for (int i = 0; i < k; i++) {
        a[i * k + i] += lambda;
      }
      choleskySolve(a, b, k);
      System.arraycopy(b, 0, out, row * k, k);
    }
  }

  /**
   * Solves {@code A x = b} in place for a symmetric positive definite {@code A} given by its lower triangle
   * (row-major {@code k x k}); {@code b} receives {@code x}.
   */
  public static void choleskySolve(double[] a, double[] b, int k) {
    for (int j = 0; j < k; j++) {
      double d = a[j * k + j];
      for (int p = 0; p < j; p++) {
        d -= a[j * k + p] * a[j * k + p];
      }
      if (!(d > 0)) {
        throw new IllegalStateException("matrix not positive definite at column " + j + "; raise reg");
      }
      d = Math.sqrt(d);
      a[j * k + j] = d;
      for (int i = j + 1; i < k; i++) {
        double s = a[i * k + j];
        for (int p = 0; p < j; p++) {
          s -= a[i * k + p] * a[j * k + p];
        }
        a[i * k + j] = s / d;
      }
    }
    for (int i = 0; i < k; i++) {
      double s = b[i];
      for (int p = 0; p < i; p++) {
        s -= a[i * k + p] * b[p];
      }
      b[i] = s / a[i * k + i];
    }
    for (int i = k - 1; i >= 0; i--) {
      double s = b[i];
      for (int p = i + 1; p < k; p++) {
        s -= a[p * k + i] * b[p];
      }
      b[i] = s / a[i * k + i];
    }
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** Compressed rows: the ratings of each row (user or item) side by side, values already centred. */
  private record Csr(int rows, int[] offsets, int[] cols, float[] values) {
    static Csr of(int rows, int[] row, int[] col, float[] rating, double mean) {
      int[] offsets = new int[rows + 1];
      for (int r : row) {
        offsets[r + 1]++;
      }
      for (int r = 0; r < rows; r++) {
        offsets[r + 1] += offsets[r];
      }
      int[] next = Arrays.copyOf(offsets, rows);
      int[] cols = new int[row.length];
      float[] values = new float[row.length];
      for (int p = 0; p < row.length; p++) {
        int at = next[row[p]]++;
        cols[at] = col[p];
        values[at] = (float) (rating[p] - mean);
      }
      return new Csr(rows, offsets, cols, values);
    }
  }
}
