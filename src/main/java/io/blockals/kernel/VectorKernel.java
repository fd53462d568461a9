package io.blockals.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The normal-equation build with JDK 17's Vector API (the incubator module {@code jdk.incubator.vector}), for small
 * ranks, where C2 finds no vector loop in the scalar code: at k = 11 each triangle row is 1 to 11 long.
 *
 * <p>The source table holds floats, as the factors travel, widened to double as they are loaded: half the memory
 * traffic of a double table and the same sums, since the doubles would be the same widened floats (random rows of a
 * 24 MB table at 10M ratings: 45 -> 32 ns a rating). Rows are {@link #stride(int)} apart, a multiple of the vector
 * length; what lies after the k features is never read back. The update is done on a square scratch of k rows of that stride: for each 4-wide column
 * chunk, row i of the scratch gets {@code sum_r c_r y_r[i] * y_r[chunk]} over four ratings at a time, for the rows i
 * that reach into the chunk (the upper triangle, rounded out to whole chunks). Lanes past k are never read back.
 *
 * <p>Only loaded when {@link NormalEquation} has found the module and 256-bit double vectors; without them this class
 * is never touched and the scalar kernel runs.
 */
final class VectorKernel {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
  static final int LANES = S.length();

  private VectorKernel() {}

  /** Whether the preferred vectors of this machine hold at least {@link #LANES} doubles (AVX2, AVX-512, SVE-256). */
  static boolean hardwareSupported() {
    return DoubleVector.SPECIES_PREFERRED.length() >= LANES;
  }

  /** The row stride the kernel needs for rank k: k rounded up to whole vectors. */
  static int stride(int k) {
    return (k + LANES - 1) / LANES * LANES;
  }

  /**
   * Adds rows {@code pos[from .. from+n)} of {@code src} (stride {@code kp}) with targets {@code b} and weights
   * {@code c} (null: all 1) into {@code sq} (k rows of stride kp, upper chunks) and {@code g} (kp long).
   *
   * <p>Works through the ratings {@link NormalEquation#TOUCH} at a time, each group's rows first pulled into the
   * cache by {@link NormalEquation#touch} when the table is larger than
   * {@link NormalEquation#TOUCH_MIN_BYTES}.
   *
   * @return the bits the touch passes read, combined; the caller keeps it so the JIT cannot drop those reads
   */
  static int accumulate(double[] sq, double[] g, int k, int kp, float[] src, int[] pos, int from, int n,
      double[] b, double[] c) {
    int touched = 0;
    boolean touch = 4L * src.length > NormalEquation.TOUCH_MIN_BYTES;
    for (int start = 0; start < n; start += NormalEquation.TOUCH) {
      int end = Math.min(n, start + NormalEquation.TOUCH);
      if (touch) {
        touched ^= NormalEquation.touch(src, kp, k, pos, from + start, end - start);
      }
      int r = start;
      for (; r + 4 <= end; r += 4) {
        int o0 = pos[from + r] * kp;
        int o1 = pos[from + r + 1] * kp;
        int o2 = pos[from + r + 2] * kp;
        int o3 = pos[from + r + 3] * kp;
        double c0 = c == null ? 1.0 : c[r];
        double c1 = c == null ? 1.0 : c[r + 1];
        double c2 = c == null ? 1.0 : c[r + 2];
        double c3 = c == null ? 1.0 : c[r + 3];
        for (int co = 0; co < kp; co += LANES) {
          DoubleVector v0 = load(src, o0 + co);
          DoubleVector v1 = load(src, o1 + co);
          DoubleVector v2 = load(src, o2 + co);
          DoubleVector v3 = load(src, o3 + co);
          int rows = Math.min(k, co + LANES);
          for (int i = 0, a = co; i < rows; i++, a += kp) {
            DoubleVector x = DoubleVector.fromArray(S, sq, a);
            x = v0.fma(DoubleVector.broadcast(S, c0 * src[o0 + i]), x);
            x = v1.fma(DoubleVector.broadcast(S, c1 * src[o1 + i]), x);
            x = v2.fma(DoubleVector.broadcast(S, c2 * src[o2 + i]), x);
            x = v3.fma(DoubleVector.broadcast(S, c3 * src[o3 + i]), x);
            x.intoArray(sq, a);
          }
          DoubleVector y = DoubleVector.fromArray(S, g, co);
          y = v0.fma(DoubleVector.broadcast(S, b[r]), y);
          y = v1.fma(DoubleVector.broadcast(S, b[r + 1]), y);
          y = v2.fma(DoubleVector.broadcast(S, b[r + 2]), y);
          y = v3.fma(DoubleVector.broadcast(S, b[r + 3]), y);
          y.intoArray(g, co);
        }
      }
      // TOUCH is a multiple of 4: only the last group can end here with rows left.
      for (; r < end; r++) {
        int o0 = pos[from + r] * kp;
        double c0 = c == null ? 1.0 : c[r];
        for (int co = 0; co < kp; co += LANES) {
          DoubleVector v0 = load(src, o0 + co);
          int rows = Math.min(k, co + LANES);
          for (int i = 0, a = co; i < rows; i++, a += kp) {
            v0.fma(DoubleVector.broadcast(S, c0 * src[o0 + i]), DoubleVector.fromArray(S, sq, a)).intoArray(sq, a);
          }
          v0.fma(DoubleVector.broadcast(S, b[r]), DoubleVector.fromArray(S, g, co)).intoArray(g, co);
        }
      }
    }
    return touched;
  }

  /** Four floats from {@code src[at]}, widened to doubles. */
  private static DoubleVector load(float[] src, int at) {
    return (DoubleVector) FloatVector.fromArray(F, src, at).convertShape(VectorOperators.F2D, S, 0);
  }
}
