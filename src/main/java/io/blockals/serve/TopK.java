package io.blockals.serve;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The best {@code k} (score, item position) pairs offered so far. Better means a higher score, and for equal scores
 * the smaller position (the smaller item id), so the result does not depend on the order items were offered in.
 * A binary min-heap keeps the worst kept pair at the root: an offer costs one comparison unless it enters the top.
 */
public final class TopK implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int k;
  private final double[] scores;
  private final int[] items;
  private int size;

  public TopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.k = k;
    this.scores = new double[k];
    this.items = new int[k];
  }

  public int size() {
    return size;
  }

  /**
   * The lowest score that can still enter: minus infinity until {@code k} pairs are kept, then the worst kept score.
   * A score below it would be rejected by {@link #offer}; one equal to it enters only with a smaller position.
   */
  public double threshold() {
    return size < k ? Double.NEGATIVE_INFINITY : scores[0];
  }

  /** True when (sa, ia) ranks below (sb, ib). */
  private static boolean worse(double sa, int ia, double sb, int ib) {
    return sa < sb || (sa == sb && ia > ib);
  }

  /** Offers one pair; NaN scores are never kept (they have no rank). */
  public void offer(double score, int item) {
    if (Double.isNaN(score)) {
      return;
    }
    if (size < k) {
      int i = size++;
      scores[i] = score;
      items[i] = item;
      siftUp(i);
    } else if (worse(scores[0], items[0], score, item)) {
      scores[0] = score;
      items[0] = item;
      siftDown(0);
    }
  }

  /** Offers every pair of {@code other}; merging partial heaps of disjoint item blocks gives the global top k. */
  public TopK merge(TopK other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.scores[i], other.items[i]);
    }
    return this;
  }

  /** The kept item positions, best first. */
  public int[] sortedItems() {
    Integer[] order = order();
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = items[order[i]];
    }
    return out;
  }

  /** The kept scores in the order of {@link #sortedItems()}. */
  public double[] sortedScores() {
    Integer[] order = order();
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = scores[order[i]];
    }
    return out;
  }

  private Integer[] order() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> worse(scores[a], items[a], scores[b], items[b]) ? 1
        : worse(scores[b], items[b], scores[a], items[a]) ? -1 : 0);
    return order;
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(scores[i], items[i], scores[parent], items[parent])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int w = l + 1 < size && worse(scores[l + 1], items[l + 1], scores[l], items[l]) ? l + 1 : l;
      if (!worse(scores[w], items[w], scores[i], items[i])) {
        return;
      }
      swap(i, w);
      i = w;
    }
  }

  private void swap(int a, int b) {
    double s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int t = items[a];
    items[a] = items[b];
    items[b] = t;
  }
}
