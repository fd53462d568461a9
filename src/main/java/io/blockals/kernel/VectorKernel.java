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

  /**
   * {@link Packed#solveSmall} on {@link #LANES} systems at once, one per lane, with the same operations in the same
   * order (a multiply then a subtract, never a fused multiply-add; IEEE square root and division), so that each lane's
   * solution is bit for bit what {@code solveSmall} gives for that system alone. Arrays are interleaved by lane: entry
   * {@code p} of lane {@code q} is at {@code LANES * p + q}.
   *
   * <p>Three methods, no vector masks: C2 turns Vector API calls into instructions only where it inlines them all, and
   * one method doing everything (with a mask for the pivot test) ran the library's Java fallbacks in the engine.
   *
   * @param a the packed triangles; @param lambda one shift per lane; @param z the right-hand sides (k per lane)
   * @param l scratch of LANES * size(k); @param inv and @param pivots scratch of LANES * k and 2 * LANES * k
   * @param x receives the solutions
   * @return a bit per lane (bit q for lane q) whose pivots were all usable by the test of {@code solveSmall}; the
   *     solutions of the other lanes are undefined
   */
  static int solveSmallLanes(double[] a, int k, double[] lambda, double[] z, double[] l, double[] inv,
      double[] pivots, double[] x) {
    factorLanes(a, k, lambda, l, inv, pivots);
    int usable = 0;
    for (int q = 0; q < LANES; q++) {
      boolean ok = true;
      for (int j = 0; j < k; j++) {
        double ajj = pivots[LANES * j + q];
        double d = pivots[LANES * (k + j) + q];
        ok &= ajj > 0.0 && d > Packed.PIVOT_TOL * ajj && !Double.isInfinite(d);
      }
      usable |= ok ? 1 << q : 0;
    }
    if (usable != 0) {
      substituteLanes(k, z, l, inv, x);
    }
    return usable;
  }

  /** The factor of each lane's {@code A + lambda I}; each column's shifted diagonal and pivot go to {@code pivots}. */
  private static void factorLanes(double[] a, int k, double[] lambda, double[] l, double[] inv, double[] pivots) {
    final int w = LANES;
    DoubleVector lam = DoubleVector.fromArray(S, lambda, 0);
    DoubleVector one = DoubleVector.broadcast(S, 1.0);
    int pj = 0;
    for (int j = 0; j < k; j++) {
      int pi = 0;
      for (int i = 0; i < j; i++) {
        DoubleVector s = DoubleVector.fromArray(S, a, w * (pj + i));
        for (int m = 0; m < i; m++) {
          s = s.sub(DoubleVector.fromArray(S, l, w * (pi + m)).mul(DoubleVector.fromArray(S, l, w * (pj + m))));
        }
        s.mul(DoubleVector.fromArray(S, inv, w * i)).intoArray(l, w * (pj + i));
        pi += i + 1;
      }
      DoubleVector ajj = DoubleVector.fromArray(S, a, w * (pj + j)).add(lam);
      DoubleVector d = ajj;
      for (int m = 0; m < j; m++) {
        DoubleVector lm = DoubleVector.fromArray(S, l, w * (pj + m));
        d = d.sub(lm.mul(lm));
      }
      ajj.intoArray(pivots, w * j);
      d.intoArray(pivots, w * (k + j));
      // A lane whose pivot fails goes on with NaN or infinities; its results are not used.
      DoubleVector ljj = d.lanewise(VectorOperators.SQRT);
      ljj.intoArray(l, w * (pj + j));
      one.div(ljj).intoArray(inv, w * j);
      pj += j + 1;
    }
  }

  /** L y = z, then L^T x = y, lane by lane. */
  private static void substituteLanes(int k, double[] z, double[] l, double[] inv, double[] x) {
    final int w = LANES;
    int pj = 0;
    for (int j = 0; j < k; j++) {
      DoubleVector s = DoubleVector.fromArray(S, z, w * j);
      for (int m = 0; m < j; m++) {
        s = s.sub(DoubleVector.fromArray(S, l, w * (pj + m)).mul(DoubleVector.fromArray(S, x, w * m)));
      }
      s.mul(DoubleVector.fromArray(S, inv, w * j)).intoArray(x, w * j);
      pj += j + 1;
    }
    for (int i = k - 1; i >= 0; i--) {
      DoubleVector xi = DoubleVector.fromArray(S, x, w * i).mul(DoubleVector.fromArray(S, inv, w * i));
      xi.intoArray(x, w * i);
      int pi = i * (i + 1) / 2;
      for (int m = 0; m < i; m++) {
        DoubleVector.fromArray(S, x, w * m).sub(DoubleVector.fromArray(S, l, w * (pi + m)).mul(xi))
            .intoArray(x, w * m);
      }
    }
  }

  /** Four floats from {@code src[at]}, widened to doubles. */
  private static DoubleVector load(float[] src, int at) {
    return (DoubleVector) FloatVector.fromArray(F, src, at).convertShape(VectorOperators.F2D, S, 0);
  }
}
