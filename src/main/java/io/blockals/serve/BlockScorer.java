package io.blockals.serve;

import java.util.Arrays;

/**
 * Scores a block of users against a block of items as a small matrix product and offers each unseen (user, item)
 * score that can enter the user's top K to the user's heap.
 *
 * <p>The item block is first laid out feature-major ({@link Panel}): its rows sorted by position, feature {@code f}
 * of the items at {@code f * width}, the width a multiple of {@link #TILE}, zero past the last item. A tile of four
 * users times {@link #TILE} items is then summed feature by feature: with JDK 17's Vector API module
 * ({@code VectorScorer}) each feature costs four loads of eight items, four broadcasts of the users' values and
 * sixteen fused multiply-adds into registers; without it (or with {@code -Dblockals.kernel=scalar}) a plain loop
 * does the same sums with {@link Math#fma(float, float, float)}. Items are visited {@link #CHUNK} at a time
 * (32 KB of rank-32 features) so the chunk stays in the L1 cache while every user of the block passes over it.
 *
 * <p>Accumulation order, the same in both kernels: the dot of a user and an item is a float sum started at 0 and
 * updated with one fused multiply-add per feature, features in order 0, 1, .., rank - 1 ({@link #dot32}). Each step
 * rounds once to float, so the dot is the same bits whichever kernel, block sizes or partitioning computed it, and
 * within {@code rank} float roundings of the exact sum. The score is then
 * {@code (base + userBias) + itemBias + dot} in double.
 *
 * <p>Per pair after the sums: the score is compared with the heap's threshold (the worst kept score once the heap
 * is full) and only a score that reaches it is checked against the user's seen items and offered. A user's sorted
 * seen positions are walked with a cursor that only moves forward, as the block's items are visited in position
 * order: no search per pair.
 */
public final class BlockScorer {
  /** Items per tile: four vectors of eight floats. */
  static final int TILE = 32;
  /** Items per chunk of the tile loop: a multiple of {@link #TILE}. */
  static final int CHUNK = 256;
  /** Users per tile. */
  static final int USERS = 4;

  /** Which code sums the tiles. */
  public enum Kernel {
    VECTOR,
    SCALAR
  }

  private static final boolean VECTOR_ASKED_OFF = "scalar".equals(System.getProperty("blockals.kernel"));
  private static final boolean VECTOR_USABLE = vectorUsable();
  private static final Kernel DEFAULT = VECTOR_USABLE && !VECTOR_ASKED_OFF ? Kernel.VECTOR : Kernel.SCALAR;

  private BlockScorer() {}

  /** The kernel {@link #score} and {@link #cosine} use in this JVM. */
  public static Kernel kernel() {
    return DEFAULT;
  }

  /** Whether the Vector API kernel can run in this JVM (module present, 256-bit float vectors). */
  public static boolean vectorUsable() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorScorer.hardwareSupported();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Which kernel scores in this JVM, and why, for the log. */
  public static String kernelName() {
    if (DEFAULT == Kernel.VECTOR) {
      return "vector (jdk.incubator.vector, 256-bit float FMA, 4 x 32 tiles)";
    }
    return "scalar (" + (VECTOR_ASKED_OFF ? "-Dblockals.kernel=scalar"
        : "this JVM lacks --add-modules=jdk.incubator.vector or 256-bit vectors") + ")";
  }

  /** The dot product of two packed rows in double, four independent sums; used to normalise rows. */
  public static double dot(float[] a, int aOff, float[] b, int bOff, int rank) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < rank; j += 4) {
      s0 += (double) a[aOff + j] * b[bOff + j];
      s1 += (double) a[aOff + j + 1] * b[bOff + j + 1];
      s2 += (double) a[aOff + j + 2] * b[bOff + j + 2];
      s3 += (double) a[aOff + j + 3] * b[bOff + j + 3];
    }
    for (; j < rank; j++) {
      s0 += (double) a[aOff + j] * b[bOff + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The dot product exactly as the scoring kernels compute it: a float sum from 0, one fused multiply-add per
   * feature in feature order.
   */
  public static float dot32(float[] a, int aOff, float[] b, int bOff, int rank) {
    float s = 0f;
    for (int j = 0; j < rank; j++) {
      s = Math.fma(a[aOff + j], b[bOff + j], s);
    }
    return s;
  }

  /**
   * Offers {@code base + userBias + itemBias + dot} for every user row and unseen item row to {@code heaps[u]}.
   * The item's {@code positions} are its rank in the sorted item ids, which is what the heaps tie-break on and what
   * {@code users.seen()} holds.
   */
  public static void score(FactorBlock users, FactorBlock items, double base, TopK[] heaps) {
    score(users, items, base, heaps, DEFAULT);
  }

  /** {@link #score(FactorBlock, FactorBlock, double, TopK[])} with the given kernel. */
  public static void score(FactorBlock users, FactorBlock items, double base, TopK[] heaps, Kernel kernel) {
    int rank = users.rank();
    if (items.rank() != rank) {
      throw new IllegalArgumentException("user rank " + rank + " but item rank " + items.rank());
    }
    int n = users.rows();
    double[] ub = new double[n];
    for (int u = 0; u < n; u++) {
      ub[u] = base + users.bias()[u];
    }
    Panel panel = new Panel(items, false);
    run(users.features(), n, ub, users.seen(), panel, heaps, kernel);
  }

  /**
   * Cosine similarity of unit-length query rows against unit-length candidate rows ({@link #normalise}); a row
   * never lists itself (same position) and rows whose norm was zero are neither queried nor listed.
   */
  public static void cosine(FactorBlock queries, FactorBlock candidates, TopK[] heaps) {
    cosine(queries, candidates, heaps, DEFAULT);
  }

  /** {@link #cosine(FactorBlock, FactorBlock, TopK[])} with the given kernel. */
  public static void cosine(FactorBlock queries, FactorBlock candidates, TopK[] heaps, Kernel kernel) {
    int rank = queries.rank();
    if (candidates.rank() != rank) {
      throw new IllegalArgumentException("query rank " + rank + " but candidate rank " + candidates.rank());
    }
    int n = queries.rows();
    double[] base = new double[n];
    int[][] self = new int[n][];
    for (int q = 0; q < n; q++) {
      // A NaN base makes every score of a zero query NaN, and NaN is never offered.
      base[q] = queries.bias()[q] == 0f ? Double.NaN : 0.0;
      self[q] = new int[] {queries.positions()[q]};
    }
    run(queries.features(), n, base, self, new Panel(candidates, true), heaps, kernel);
  }

  /**
   * Scales {@code features[off .. off + rank)} to unit length in place and returns its original norm; a zero (or
   * non-finite) vector has no direction, so it is left as it is and 0 is returned.
   */
  public static float normalise(float[] features, int off, int rank) {
    double sq = dot(features, off, features, off, rank);
    double norm = Math.sqrt(sq);
    if (!(norm > 0) || Double.isInfinite(norm)) {
      return 0f;
    }
    for (int j = 0; j < rank; j++) {
      features[off + j] = (float) (features[off + j] / norm);
    }
    return (float) norm;
  }

  /**
   * An item block feature-major, rows in position order: {@code t[f * width + j]} is feature f of the j-th item by
   * position, zero for {@code j >= n}; {@code bias[j]} its bias widened (NaN for a candidate that must never be
   * listed), {@code pos[j]} its position.
   */
  static final class Panel {
    final int n;
    final int rank;
    final int width;
    final float[] t;
    final double[] bias;
    /** The biases as floats, {@code width} long: minus infinity for padding and for candidates never listed. */
    final float[] floatBias;
    /** The largest finite {@code |bias|}. */
    final double maxAbsBias;
    final int[] pos;

    Panel(FactorBlock items, boolean cosine) {
      n = items.rows();
      rank = items.rank();
      width = (n + TILE - 1) / TILE * TILE;
      int[] order = byPosition(items.positions());
      t = new float[rank * width];
      bias = new double[n];
      pos = new int[n];
      floatBias = new float[width];
      Arrays.fill(floatBias, Float.NEGATIVE_INFINITY);
      float[] f = items.features();
      double max = 0;
      for (int j = 0; j < n; j++) {
        int r = order[j];
        pos[j] = items.positions()[r];
        float b = items.bias()[r];
        bias[j] = cosine ? (b == 0f ? Double.NaN : 0.0) : b;
        if (!Double.isNaN(bias[j])) {
          floatBias[j] = (float) bias[j];
          if (Double.isFinite(bias[j])) {
            max = Math.max(max, Math.abs(bias[j]));
          }
        }
        for (int k = 0, o = r * rank; k < rank; k++) {
          t[k * width + j] = f[o + k];
        }
      }
      maxAbsBias = max;
    }

    /** Row indices sorted by position (the identity when they already are). */
    private static int[] byPosition(int[] positions) {
      int n = positions.length;
      boolean sorted = true;
      for (int i = 1; i < n && sorted; i++) {
        sorted = positions[i - 1] < positions[i];
      }
      int[] order = new int[n];
      if (sorted) {
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        return order;
      }
      long[] keyed = new long[n];
      for (int i = 0; i < n; i++) {
        keyed[i] = ((long) positions[i] << 32) | i;
      }
      Arrays.sort(keyed);
      for (int i = 0; i < n; i++) {
        order[i] = (int) keyed[i];
      }
      return order;
    }
  }

  /**
   * The tile loop shared by both kernels: for each chunk of items, each group of {@link #USERS} users, each tile of
   * {@link #TILE} items, the kernel fills {@code dots} (row r of the group at {@code r * TILE}) and every pair is
   * then screened and offered.
   */
  private static void run(float[] uf, int nu, double[] ub, int[][] seen, Panel p, TopK[] heaps, Kernel kernel) {
    if (p.n == 0 || nu == 0) {
      return;
    }
    boolean vector = kernel == Kernel.VECTOR;
    if (vector && !VECTOR_USABLE) {
      throw new IllegalStateException("the vector kernel needs --add-modules=jdk.incubator.vector");
    }
    int[] cursor = new int[nu];
    float[] dots = new float[USERS * TILE];
    float[] floor = new float[USERS];
    for (int c0 = 0; c0 < p.n; c0 += CHUNK) {
      int c1 = Math.min(p.n, c0 + CHUNK);
      for (int u0 = 0; u0 < nu; u0 += USERS) {
        int g = Math.min(USERS, nu - u0);
        for (int j0 = c0; j0 < c1; j0 += TILE) {
          int hits;
          if (vector) {
            for (int r = 0; r < g; r++) {
              floor[r] = floor(heaps[u0 + r].threshold(), ub[u0 + r], p.maxAbsBias);
            }
            hits = VectorScorer.tile(uf, u0, g, p.rank, p.t, p.width, j0, dots, p.floatBias, floor);
          } else {
            scalarTile(uf, u0, g, p.rank, p.t, p.width, j0, dots);
            hits = (1 << g) - 1;
          }
          int m = Math.min(TILE, c1 - j0);
          for (int r = 0; r < g; r++) {
            if ((hits & (1 << r)) == 0) {
              continue;
            }
            int u = u0 + r;
            int[] s = seen == null ? null : seen[u];
            cursor[u] = offer(heaps[u], ub[u], dots, r * TILE, p, j0, m, s, cursor[u]);
          }
        }
      }
    }
  }

  /**
   * A float {@code T} such that a pair whose double score reaches {@code thr} has {@code fl(itemBias + dot) >= T}
   * (one float rounding of the exact sum, as a vector add gives it), for the vector kernel's test of a whole tile.
   * The score is {@code (ub + itemBias) + dot} rounded twice in double, at most a few {@code 2^-53} of
   * {@code |ub| + |itemBias| + |score|} away from {@code ub + itemBias + dot}; so {@code itemBias + dot >=
   * thr - ub - margin} with a margin of {@code 2^-30 (|thr| + |ub| + max|itemBias| + 1)}, far above that error, and
   * rounding to float is monotone, so rounding {@code thr - ub - margin} down to a float keeps the test true. A pair
   * that passes is then tested exactly in double. Minus infinity (every pair passes) when nothing is finite.
   */
  static float floor(double thr, double ub, double maxAbsBias) {
    double d = thr - ub - 0x1p-30 * (Math.abs(thr) + Math.abs(ub) + maxAbsBias + 1.0);
    if (!Double.isFinite(d)) {
      return Float.NEGATIVE_INFINITY;
    }
    float f = (float) d;
    return f > d ? Math.nextDown(f) : f;
  }

  /**
   * Offers the pairs of one user and items {@code j0 .. j0+m)} whose score reaches the heap's threshold and whose
   * position is not in {@code seen}; {@code c} is the user's cursor into {@code seen}, returned moved on.
   */
  private static int offer(TopK heap, double ub, float[] dots, int off, Panel p, int j0, int m, int[] seen, int c) {
    double thr = heap.threshold();
    for (int j = 0; j < m; j++) {
      double s = ub + p.bias[j0 + j] + dots[off + j];
      if (s >= thr) {
        int pos = p.pos[j0 + j];
        if (seen != null) {
          while (c < seen.length && seen[c] < pos) {
            c++;
          }
          if (c < seen.length && seen[c] == pos) {
            continue;
          }
        }
        heap.offer(s, pos);
        thr = heap.threshold();
      }
    }
    return c;
  }

  /** The scalar kernel: the dots of {@code g} users and items {@code j0 .. j0+TILE)}, in {@link #dot32}'s order. */
  static void scalarTile(float[] uf, int u0, int g, int rank, float[] t, int width, int j0, float[] dots) {
    for (int r = 0; r < g; r++) {
      int o = r * TILE;
      Arrays.fill(dots, o, o + TILE, 0f);
      int uo = (u0 + r) * rank;
      for (int f = 0; f < rank; f++) {
        float x = uf[uo + f];
        int to = f * width + j0;
        for (int j = 0; j < TILE; j++) {
          dots[o + j] = Math.fma(x, t[to + j], dots[o + j]);
        }
      }
    }
  }
}
