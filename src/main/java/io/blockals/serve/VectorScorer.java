package io.blockals.serve;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockScorer}'s tile with JDK 17's Vector API: the dots of up to four users and {@link BlockScorer#TILE}
 * items of a feature-major panel. Each feature loads four vectors of eight items and broadcasts each user's value;
 * the sixteen sums stay in registers through all features (fused multiply-adds, feature order 0 .. rank - 1, so each
 * lane is bit for bit {@link BlockScorer#dot32}). Each user's row of the tile is then tested at once: only when the
 * largest {@code fl(itemBias + dot)} of its 32 lanes reaches the user's {@link BlockScorer#floor} (or is NaN, which
 * the exact test settles) are its dots written out for the exact test; once the heaps are full, most rows of a tile
 * are not. The test is spelled out per row, not a method taking vectors, since C2 only keeps vectors in registers
 * where it inlines every call that sees them. Only loaded when {@link BlockScorer} has found the module.
 */
final class VectorScorer {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;
  private static final int T = BlockScorer.TILE;

  private VectorScorer() {}

  static boolean hardwareSupported() {
    return FloatVector.SPECIES_PREFERRED.length() >= L;
  }

  /**
   * The dots of users {@code u0 .. u0+g)} and items {@code j0 .. j0+TILE)}; row r goes to {@code dots[r * TILE ..]}
   * only when it has a lane that passes {@code floor[r]}, and then bit r of the result is set.
   */
  static int tile(float[] uf, int u0, int g, int rank, float[] t, int width, int j0, float[] dots, float[] bias,
      float[] floor) {
    if (g == 4) {
      return four(uf, u0 * rank, rank, t, width, j0, dots, bias, floor);
    }
    int hits = 0;
    for (int r = 0; r < g; r++) {
      hits |= one(uf, (u0 + r) * rank, rank, t, width, j0, dots, r * T, bias, floor[r]) << r;
    }
    return hits;
  }

  /** Spelled out sum by sum so that C2 keeps each of the sixteen in a register. */
  private static int four(float[] uf, int uo, int rank, float[] t, int width, int j0, float[] dots, float[] bias,
      float[] floor) {
    FloatVector z = FloatVector.zero(S);
    FloatVector s00 = z, s01 = z, s02 = z, s03 = z;
    FloatVector s10 = z, s11 = z, s12 = z, s13 = z;
    FloatVector s20 = z, s21 = z, s22 = z, s23 = z;
    FloatVector s30 = z, s31 = z, s32 = z, s33 = z;
    int o1 = uo + rank;
    int o2 = o1 + rank;
    int o3 = o2 + rank;
    for (int f = 0, to = j0; f < rank; f++, to += width) {
      FloatVector y0 = FloatVector.fromArray(S, t, to);
      FloatVector y1 = FloatVector.fromArray(S, t, to + L);
      FloatVector y2 = FloatVector.fromArray(S, t, to + 2 * L);
      FloatVector y3 = FloatVector.fromArray(S, t, to + 3 * L);
      FloatVector x = FloatVector.broadcast(S, uf[uo + f]);
      s00 = x.fma(y0, s00);
      s01 = x.fma(y1, s01);
      s02 = x.fma(y2, s02);
      s03 = x.fma(y3, s03);
      x = FloatVector.broadcast(S, uf[o1 + f]);
      s10 = x.fma(y0, s10);
      s11 = x.fma(y1, s11);
      s12 = x.fma(y2, s12);
      s13 = x.fma(y3, s13);
      x = FloatVector.broadcast(S, uf[o2 + f]);
      s20 = x.fma(y0, s20);
      s21 = x.fma(y1, s21);
      s22 = x.fma(y2, s22);
      s23 = x.fma(y3, s23);
      x = FloatVector.broadcast(S, uf[o3 + f]);
      s30 = x.fma(y0, s30);
      s31 = x.fma(y1, s31);
      s32 = x.fma(y2, s32);
      s33 = x.fma(y3, s33);
    }
    FloatVector b0 = FloatVector.fromArray(S, bias, j0);
    FloatVector b1 = FloatVector.fromArray(S, bias, j0 + L);
    FloatVector b2 = FloatVector.fromArray(S, bias, j0 + 2 * L);
    FloatVector b3 = FloatVector.fromArray(S, bias, j0 + 3 * L);
    // Each row's largest lane less its floor, then one reduction for the four rows: x - y >= 0 when x >= y (a
    // rounded difference keeps its sign), and NaN counts as a hit.
    FloatVector m0 = s00.add(b0).max(s01.add(b1)).max(s02.add(b2).max(s03.add(b3))).sub(floor[0]);
    FloatVector m1 = s10.add(b0).max(s11.add(b1)).max(s12.add(b2).max(s13.add(b3))).sub(floor[1]);
    FloatVector m2 = s20.add(b0).max(s21.add(b1)).max(s22.add(b2).max(s23.add(b3))).sub(floor[2]);
    FloatVector m3 = s30.add(b0).max(s31.add(b1)).max(s32.add(b2).max(s33.add(b3))).sub(floor[3]);
    if (m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX) < 0f) {
      return 0;
    }
    int hits = 0;
    if (!(m0.reduceLanes(VectorOperators.MAX) < 0f)) {
      s00.intoArray(dots, 0);
      s01.intoArray(dots, L);
      s02.intoArray(dots, 2 * L);
      s03.intoArray(dots, 3 * L);
      hits = 1;
    }
    if (!(m1.reduceLanes(VectorOperators.MAX) < 0f)) {
      s10.intoArray(dots, T);
      s11.intoArray(dots, T + L);
      s12.intoArray(dots, T + 2 * L);
      s13.intoArray(dots, T + 3 * L);
      hits |= 2;
    }
    if (!(m2.reduceLanes(VectorOperators.MAX) < 0f)) {
      s20.intoArray(dots, 2 * T);
      s21.intoArray(dots, 2 * T + L);
      s22.intoArray(dots, 2 * T + 2 * L);
      s23.intoArray(dots, 2 * T + 3 * L);
      hits |= 4;
    }
    if (!(m3.reduceLanes(VectorOperators.MAX) < 0f)) {
      s30.intoArray(dots, 3 * T);
      s31.intoArray(dots, 3 * T + L);
      s32.intoArray(dots, 3 * T + 2 * L);
      s33.intoArray(dots, 3 * T + 3 * L);
      hits |= 8;
    }
    return hits;
  }

  private static int one(float[] uf, int uo, int rank, float[] t, int width, int j0, float[] dots, int out,
      float[] bias, float floor) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int f = 0, to = j0; f < rank; f++, to += width) {
      FloatVector x = FloatVector.broadcast(S, uf[uo + f]);
      s0 = x.fma(FloatVector.fromArray(S, t, to), s0);
      s1 = x.fma(FloatVector.fromArray(S, t, to + L), s1);
      s2 = x.fma(FloatVector.fromArray(S, t, to + 2 * L), s2);
      s3 = x.fma(FloatVector.fromArray(S, t, to + 3 * L), s3);
    }
    FloatVector b0 = FloatVector.fromArray(S, bias, j0);
    FloatVector b1 = FloatVector.fromArray(S, bias, j0 + L);
    FloatVector b2 = FloatVector.fromArray(S, bias, j0 + 2 * L);
    FloatVector b3 = FloatVector.fromArray(S, bias, j0 + 3 * L);
    if (s0.add(b0).max(s1.add(b1)).max(s2.add(b2).max(s3.add(b3))).reduceLanes(VectorOperators.MAX) < floor) {
      return 0;
    }
    s0.intoArray(dots, out);
    s1.intoArray(dots, out + L);
    s2.intoArray(dots, out + 2 * L);
    s3.intoArray(dots, out + 3 * L);
    return 1;
  }
}
