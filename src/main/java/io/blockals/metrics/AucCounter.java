package io.blockals.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The AUC of one user, counted exactly: the share of (held-out positive, negative) pairs in which the positive
 * scores higher, a tie counting one half. Negatives are offered one at a time ({@link #negative(double)}) and each
 * costs a binary search in the sorted positive scores, so every unseen item can be a negative (nothing sampled).
 * Counts are kept doubled (2 per win, 1 per tie) so they stay integers; partial counters of disjoint negatives
 * merge by adding.
 *
 * <p>A plain class, not a record: Kryo ships it between executors.
 */
public final class AucCounter implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] positiveScores;
  private long doubledWins;
  private long negatives;

  /** @param positiveScores the scores of the user's held-out positives, sorted ascending (not copied) */
  public AucCounter(double[] positiveScores) {
    this.positiveScores = positiveScores;
  }

  /** Counts the pairs of every positive with one negative of score {@code s}; a NaN negative is not counted. */
  public void negative(double s) {
    if (Double.isNaN(s) || positiveScores.length == 0) {
      return;
    }
    int below = lowerBound(positiveScores, s);
    int notAbove = upperBound(positiveScores, s);
    // positives above s win, positives equal to s tie
    doubledWins += 2L * (positiveScores.length - notAbove) + (notAbove - below);
    negatives++;
  }

  public AucCounter merge(AucCounter other) {
    doubledWins += other.doubledWins;
    negatives += other.negatives;
    return this;
  }

  /** True when the AUC is defined: at least one positive and one negative. */
  public boolean defined() {
    return positiveScores.length > 0 && negatives > 0;
  }

  /** wins + ties / 2 over |positives| x |negatives|; NaN when not {@link #defined()}. */
  public double auc() {
    return defined() ? doubledWins / (2.0 * positiveScores.length * negatives) : Double.NaN;
  }

  /** The first index whose score is >= s. */
  private static int lowerBound(double[] a, double s) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose score is > s. */
  private static int upperBound(double[] a, double s) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Sorted copy helper for callers that hold scores in arbitrary order. */
  public static double[] sorted(double[] scores) {
    double[] s = scores.clone();
    Arrays.sort(s);
    return s;
  }
}
