package io.blockals.generate;

import java.util.Arrays;

/** Draws a user's items without replacement; one instance is reused for all users. */
final class ItemSampler {
  private final double[] popularity;
  private final AliasTable alias;
  private final boolean implicit;
  private final int rank;
  private final float[] userFactors;
  private final float[] itemFactors;
  private final float[] userBias;
  private final float[] itemBias;
  private final int[] mark;
  private int stamp;
  private long[] keys;

  ItemSampler(double[] popularity, boolean implicit, int rank, float[] userFactors, float[] itemFactors,
      float[] userBias, float[] itemBias) {
    this.popularity = popularity;
    this.alias = new AliasTable(popularity);
    this.implicit = implicit;
    this.rank = rank;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.userBias = userBias;
    this.itemBias = itemBias;
    this.mark = new int[popularity.length];
  }

  /** Implicit mode: probability of keeping an item drawn by popularity. */
  private double acceptance(int u, int i) {
    double affinity = userBias[u] + itemBias[i] + SyntheticGenerator.dot(userFactors, u, itemFactors, i, rank);
    return Math.min(1.0, StrictMath.exp(affinity - SyntheticGenerator.IMPLICIT_ACCEPT_SHIFT));
  }

  void sample(int u, int count, SplitMix64 rng, int[] out, int offset) {
    if (count == 0) {
      return;
    }
    stamp++;
    // Rejection is fast while most draws are new; when the user's count nears what the distribution can give
    // (heavy users, tail items), the budget runs out and the exact O(items log items) method takes over.
    long budget = (implicit ? 12L : 4L) * count + 64;
    int got = 0;
    while (got < count && budget-- > 0) {
      int i = alias.sample(rng);
      if (mark[i] == stamp || (implicit && rng.nextDouble() >= acceptance(u, i))) {
        continue;
      }
      mark[i] = stamp;
      out[offset + got++] = i;
    }
    if (got < count) {
      byExponentialKeys(u, count, rng, out, offset);
    }
    // Draw order favours popular items first; a shuffle makes the time order independent of popularity.
    SyntheticGenerator.shuffle(out, offset, count, rng);
  }

  /**
   * Weighted sampling without replacement by Efraimidis-Spirakis keys: the {@code count} smallest of
   * {@code Exp(1) / weight} (float key in the high half, item in the low half of one sortable long).
   */
  private void byExponentialKeys(int u, int count, SplitMix64 rng, int[] out, int offset) {
    int items = popularity.length;
    if (keys == null) {
      keys = new long[items];
    }
    for (int i = 0; i < items; i++) {
      double weight = implicit ? popularity[i] * acceptance(u, i) : popularity[i];
      float key = (float) (rng.nextExponential() / weight);
      keys[i] = ((long) Float.floatToRawIntBits(key) << 32) | i;
    }
    Arrays.sort(keys);
    for (int k = 0; k < count; k++) {
      out[offset + k] = (int) keys[k];
    }
  }
}
