package io.blockals.job;

import io.blockals.engine.BlockHash;
import java.io.Serializable;

/**
 * The validation split of {@code train}: a seeded hash of the (user, item) pair, not a random draw per row, so
 * repeated ratings of a pair land on the same side and the split is the same whatever the input partitioning, on
 * every JVM.
 */
final class PairSplit implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Hash buckets: fine enough for any fraction a user would pick. */
  static final long BUCKETS = 1_000_000L;

  private final long seed;
  private final long threshold;

  /** @param fraction the share of pairs held out, in [0, 1] */
  PairSplit(long seed, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1] but was " + fraction);
    }
    this.seed = seed;
    this.threshold = Math.round(fraction * BUCKETS);
  }

  boolean isValidation(String user, String item) {
    long h = BlockHash.mix64((BlockHash.hash64(user) * 0x9E3779B97F4A7C15L + BlockHash.hash64(item)) ^ seed);
    return Math.floorMod(h, BUCKETS) < threshold;
  }
}
