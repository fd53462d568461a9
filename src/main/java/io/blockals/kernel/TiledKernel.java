package io.blockals.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The normal-equation build for larger ranks with JDK 17's Vector API: {@code Y^T C Y} as a blocked product, the way
 * a BLAS {@code dsyrk} does it, instead of one pass over the triangle per four ratings.
 *
 * <p>The ratings' rows are first gathered, {@link #PANEL} at a time, from the float table into a dense panel of
 * doubles ({@code kq} apart, zero after the k features), with a second panel of the rows times their weights when
 * there are weights. Then each {@link #TILE} x {@link #TILE} tile of the upper triangle (rounded out to whole
 * tiles) keeps its sums in sixteen vector registers through the whole panel: per rating, two vector loads of the
 * rating's columns, eight broadcasts of its rows and sixteen fused multiply-adds. The scalar kernel instead loads
 * and stores the triangle once per four ratings, and that traffic, not the arithmetic, was its limit (JMH, k = 65:
 * scalar ~310 ns a rating, 4 x 8 tiles ~235, 8 x 8 tiles ~170-185). The sixteen sums, two rows and a broadcast take 19
 * of the 32 vector registers an AVX-512 machine has (this one); a 16-register AVX2 machine will spill a few, which
 * was not measured. {@code SPECIES_512} itself ran the library's Java fallback on JDK 17 here (20x slower).
 *
 * <p>The sums go to a square scratch of {@code kq} rows; entries below the diagonal that a diagonal tile touches are
 * never read back. Only loaded when {@link NormalEquation} has found the module and 256-bit double vectors.
 */
final class TiledKernel {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
  private static final int LANES = 4;
  /** Rows and columns of the triangle per tile: eight rows of two vectors, sixteen sums in registers. */
  static final int TILE = 2 * LANES;
  /** Ratings per panel: 32 rows of rank 64 (72 doubles) are 18 KB, inside a 32 KB L1 with the tile's sums. */
  static final int PANEL = 32;

  private TiledKernel() {}

  /** The scratch and panel row length for rank k: k rounded up to whole tiles' columns. */
  static int width(int k) {
    return (k + TILE - 1) / TILE * TILE;
  }

  /**
   * Adds rows {@code pos[from .. from+n)} of {@code src} (rows {@code stride} apart, k features each) with targets
   * {@code b} and weights {@code c} (null: all 1) into {@code sq} ({@code kq x kq}, upper tiles) and {@code g}
   * ({@code kq} long), where {@code kq = width(k)}.
   *
   * @param panel scratch of {@code PANEL * kq}, zero past column k of each row (it stays so: only columns below k
   *     are ever written)
   * @param scaled the same for the weighted rows; unused when {@code c == null}
   */
  static int accumulate(double[] sq, double[] g, int k, float[] src, int stride, int[] pos, int from, int n,
      double[] b, double[] c, double[] panel, double[] scaled) {
    final int kq = width(k);
    final double[] bc = c == null ? panel : scaled;
    final boolean touch = 4L * src.length > NormalEquation.TOUCH_MIN_BYTES;
    int touched = 0;
    for (int start = 0; start < n; start += PANEL) {
      int p = Math.min(PANEL, n - start);
      if (touch) {
        touched ^= NormalEquation.touch(src, stride, k, pos, from + start, p);
      }
      for (int r = 0, o = 0; r < p; r++, o += kq) {
        int s = pos[from + start + r] * stride;
        for (int f = 0; f < k; f++) {
          panel[o + f] = src[s + f];
        }
        if (c != null) {
          double w = c[start + r];
          for (int f = 0; f < k; f++) {
            scaled[o + f] = w * panel[o + f];
          }
        }
      }
      for (int i0 = 0; i0 < k; i0 += TILE) {
        for (int j0 = i0; j0 < kq; j0 += TILE) {
          tile(sq, kq, i0, j0, panel, bc, p);
        }
      }
      for (int co = 0; co < kq; co += LANES) {
        DoubleVector y = DoubleVector.fromArray(S, g, co);
        for (int r = 0, o = co; r < p; r++, o += kq) {
          y = DoubleVector.fromArray(S, panel, o).fma(DoubleVector.broadcast(S, b[start + r]), y);
        }
        y.intoArray(g, co);
      }
    }
    return touched;
  }

  /**
   * Rows i0 .. i0+7, columns j0 .. j0+7 of {@code sq} += the panel's {@code bc[r][i] * panel[r][j]}. Spelled out
   * sum by sum on purpose, so that each of the sixteen sums is a local of its own, which C2 keeps in a register.
   */
  private static void tile(double[] sq, int kq, int i0, int j0, double[] panel, double[] bc, int p) {
    int a = i0 * kq + j0;
    DoubleVector s00 = DoubleVector.fromArray(S, sq, a);
    DoubleVector s01 = DoubleVector.fromArray(S, sq, a + LANES);
    DoubleVector s10 = DoubleVector.fromArray(S, sq, a + kq);
    DoubleVector s11 = DoubleVector.fromArray(S, sq, a + kq + LANES);
    DoubleVector s20 = DoubleVector.fromArray(S, sq, a + 2 * kq);
    DoubleVector s21 = DoubleVector.fromArray(S, sq, a + 2 * kq + LANES);
    DoubleVector s30 = DoubleVector.fromArray(S, sq, a + 3 * kq);
    DoubleVector s31 = DoubleVector.fromArray(S, sq, a + 3 * kq + LANES);
    DoubleVector s40 = DoubleVector.fromArray(S, sq, a + 4 * kq);
    DoubleVector s41 = DoubleVector.fromArray(S, sq, a + 4 * kq + LANES);
    DoubleVector s50 = DoubleVector.fromArray(S, sq, a + 5 * kq);
    DoubleVector s51 = DoubleVector.fromArray(S, sq, a + 5 * kq + LANES);
    DoubleVector s60 = DoubleVector.fromArray(S, sq, a + 6 * kq);
    DoubleVector s61 = DoubleVector.fromArray(S, sq, a + 6 * kq + LANES);
    DoubleVector s70 = DoubleVector.fromArray(S, sq, a + 7 * kq);
    DoubleVector s71 = DoubleVector.fromArray(S, sq, a + 7 * kq + LANES);
    for (int r = 0, o = 0; r < p; r++, o += kq) {
      DoubleVector y0 = DoubleVector.fromArray(S, panel, o + j0);
      DoubleVector y1 = DoubleVector.fromArray(S, panel, o + j0 + LANES);
      DoubleVector x = DoubleVector.broadcast(S, bc[o + i0]);
      s00 = y0.fma(x, s00);
      s01 = y1.fma(x, s01);
      x = DoubleVector.broadcast(S, bc[o + i0 + 1]);
      s10 = y0.fma(x, s10);
      s11 = y1.fma(x, s11);
      x = DoubleVector.broadcast(S, bc[o + i0 + 2]);
      s20 = y0.fma(x, s20);
      s21 = y1.fma(x, s21);
      x = DoubleVector.broadcast(S, bc[o + i0 + 3]);
      s30 = y0.fma(x, s30);
      s31 = y1.fma(x, s31);
      x = DoubleVector.broadcast(S, bc[o + i0 + 4]);
      s40 = y0.fma(x, s40);
      s41 = y1.fma(x, s41);
      x = DoubleVector.broadcast(S, bc[o + i0 + 5]);
      s50 = y0.fma(x, s50);
      s51 = y1.fma(x, s51);
      x = DoubleVector.broadcast(S, bc[o + i0 + 6]);
      s60 = y0.fma(x, s60);
      s61 = y1.fma(x, s61);
      x = DoubleVector.broadcast(S, bc[o + i0 + 7]);
      s70 = y0.fma(x, s70);
      s71 = y1.fma(x, s71);
    }
    s00.intoArray(sq, a);
    s01.intoArray(sq, a + LANES);
    s10.intoArray(sq, a + kq);
    s11.intoArray(sq, a + kq + LANES);
    s20.intoArray(sq, a + 2 * kq);
    s21.intoArray(sq, a + 2 * kq + LANES);
    s30.intoArray(sq, a + 3 * kq);
    s31.intoArray(sq, a + 3 * kq + LANES);
    s40.intoArray(sq, a + 4 * kq);
    s41.intoArray(sq, a + 4 * kq + LANES);
    s50.intoArray(sq, a + 5 * kq);
    s51.intoArray(sq, a + 5 * kq + LANES);
    s60.intoArray(sq, a + 6 * kq);
    s61.intoArray(sq, a + 6 * kq + LANES);
    s70.intoArray(sq, a + 7 * kq);
    s71.intoArray(sq, a + 7 * kq + LANES);
  }
}
