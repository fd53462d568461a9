package io.blockals.serve;

import java.util.Arrays;

/**
 * Scores a block of users against a block of items, a small dense product computed row by row, and offers each
 * unseen (user, item) score to the user's heap. A plain loop with four independent sums: it needs no incubator
 * module at run time and the compiler keeps the four sums in registers.
 */
public final class BlockScorer {
  private BlockScorer() {}

  /** The dot product of two packed rows. */
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
   * Offers {@code base + userBias + itemBias + dot} for every user row and unseen item row to {@code heaps[u]}.
   * The item's {@code positions} are its rank in the sorted item ids, which is what the heaps tie-break on and what
   * {@code users.seen()} holds.
   */
  public static void score(FactorBlock users, FactorBlock items, double base, TopK[] heaps) {
    int rank = users.rank();
    if (items.rank() != rank) {
      throw new IllegalArgumentException("user rank " + rank + " but item rank " + items.rank());
    }
    for (int u = 0; u < users.rows(); u++) {
      int[] seen = users.seen() == null ? null : users.seen()[u];
      boolean filter = seen != null && seen.length > 0;
      double ub = base + users.bias()[u];
      TopK heap = heaps[u];
      int uOff = u * rank;
      for (int i = 0; i < items.rows(); i++) {
        int pos = items.positions()[i];
        if (filter && Arrays.binarySearch(seen, pos) >= 0) {
          continue;
        }
        heap.offer(ub + items.bias()[i] + dot(users.features(), uOff, items.features(), i * rank, rank), pos);
      }
    }
  }

  /**
   * Cosine similarity of unit-length query rows against unit-length candidate rows ({@link #normalise}); a row
   * never lists itself (same position) and rows whose norm was zero are neither queried nor listed.
   */
  public static void cosine(FactorBlock queries, FactorBlock candidates, TopK[] heaps) {
    int rank = queries.rank();
    for (int q = 0; q < queries.rows(); q++) {
      if (queries.bias()[q] == 0f) {
        continue;
      }
      int qPos = queries.positions()[q];
      for (int c = 0; c < candidates.rows(); c++) {
        int cPos = candidates.positions()[c];
        if (cPos == qPos || candidates.bias()[c] == 0f) {
          continue;
        }
        heaps[q].offer(dot(queries.features(), q * rank, candidates.features(), c * rank, rank), cPos);
      }
    }
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
}
