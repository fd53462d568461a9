package io.blockals.metrics;

import io.blockals.serve.TopK;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What the scan of one user's candidate items leaves: the top-k heap over every item offered and the AUC counts of
 * the offered items that are not positives. Partial rankings of disjoint item blocks merge into the user's
 * ranking over all items. A plain class, not a record, so Kryo can ship it.
 */
public final class UserRanking implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int[] positives;
  private final TopK top;
  private final AucCounter auc;

  /**
   * @param positives the user's held-out positives, sorted item positions
   * @param positiveScores their scores, sorted ascending
   */
  public UserRanking(int k, int[] positives, double[] positiveScores) {
    this.positives = positives;
    this.top = new TopK(k);
    this.auc = new AucCounter(positiveScores);
  }

  /** Offers one candidate item (never a train item of the user: the caller filters those). */
  public void offer(double score, int item) {
    top.offer(score, item);
    if (Arrays.binarySearch(positives, item) < 0) {
      auc.negative(score);
    }
  }

  public UserRanking merge(UserRanking other) {
    top.merge(other.top);
    auc.merge(other.auc);
    return this;
  }

  public int[] positives() {
    return positives;
  }

  /** The ranked items, best first (at most k). */
  public int[] ranked() {
    return top.sortedItems();
  }

  public AucCounter auc() {
    return auc;
  }
}
