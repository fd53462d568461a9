package io.blockals.metrics;

import java.util.Arrays;

/**
 * The ranking metrics of one user: a ranked list of items (best first) against the user's held-out positives, a
 * sorted array of item positions. Binary relevance: an item is a hit when it is a positive.
 *
 * <ul>
 *   <li>precision@k = hits in the first k / k</li>
 *   <li>recall@k = hits in the first k / min(k, |positives|), so a perfect list scores 1 even when the user holds
 *       more than k positives</li>
 *   <li>NDCG@k = sum over hits at rank r (1-based) of 1 / log2(r + 1), divided by the ideal
 *       sum over r = 1..min(k, |positives|) of 1 / log2(r + 1)</li>
 *   <li>AP@k = sum over hits at rank r of precision@r, divided by min(k, |positives|); MAP@k is its mean over
 *       users</li>
 * </ul>
 * A list shorter than k (few unseen items) counts the missing ranks as misses. Every metric is 0 for a user with
 * no positives; callers leave such users out.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** The number of the first {@code k} ranked items that are positives. */
  public static int hits(int[] ranked, int[] positives, int k) {
    int hits = 0;
    for (int r = 0; r < Math.min(k, ranked.length); r++) {
      if (Arrays.binarySearch(positives, ranked[r]) >= 0) {
        hits++;
      }
    }
    return hits;
  }

  public static double precision(int[] ranked, int[] positives, int k) {
    requireK(k);
    return positives.length == 0 ? 0 : (double) hits(ranked, positives, k) / k;
  }

  public static double recall(int[] ranked, int[] positives, int k) {
    requireK(k);
    return positives.length == 0 ? 0 : (double) hits(ranked, positives, k) / Math.min(k, positives.length);
  }

  public static double ndcg(int[] ranked, int[] positives, int k) {
    requireK(k);
    if (positives.length == 0) {
      return 0;
    }
    double dcg = 0;
    for (int r = 0; r < Math.min(k, ranked.length); r++) {
      if (Arrays.binarySearch(positives, ranked[r]) >= 0) {
        dcg += discount(r + 1);
      }
    }
    double ideal = 0;
    for (int r = 1; r <= Math.min(k, positives.length); r++) {
      ideal += discount(r);
    }
    return dcg / ideal;
  }

  public static double averagePrecision(int[] ranked, int[] positives, int k) {
    requireK(k);
    if (positives.length == 0) {
      return 0;
    }
    double sum = 0;
    int hits = 0;
    for (int r = 0; r < Math.min(k, ranked.length); r++) {
      if (Arrays.binarySearch(positives, ranked[r]) >= 0) {
        hits++;
        sum += (double) hits / (r + 1);
      }
    }
    return sum / Math.min(k, positives.length);
  }

  /** 1 / log2(rank + 1) for a 1-based rank. */
  static double discount(int rank) {
    return Math.log(2) / Math.log(rank + 1.0);
  }

  private static void requireK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }
}
