package io.blockals.bench;

import io.blockals.metrics.RankingMetrics;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Ranking quality of a factor model kept in dense arrays, by brute force: for every user with held-out items, every
 * item the model knows is scored by {@code dot(U[u], V[i])}, the user's train items are left out, and the top k
 * (ties to the lower item index) are compared with the held-out items by {@link RankingMetrics#recall}. Biases are
 * not used: they are zero in implicit models, and an item bias ranks alike for every user. Users run in parallel on
 * the common fork-join pool; the result does not depend on the order.
 */
public final class HeldOutRanking {
  private HeldOutRanking() {}

  /**
   * Mean recall@k over the users with at least one held-out item.
   *
   * @param users number of users (dense indices 0..users-1)
   * @param items number of items
   * @param rank the factor length
   * @param userFactors row-major {@code users x rank}
   * @param userKnown whether a user has factors (a user without has recall 0), or {@code null} when all have
   * @param itemFactors row-major {@code items x rank}
   * @param itemKnown whether an item has factors (one without is never ranked), or {@code null} when all have
   * @param trainUser user index of each train pair (these pairs are never ranked)
   * @param trainItem item index of each train pair
   * @param testUser user index of each held-out pair
   * @param testItem item index of each held-out pair
   * @param k the list length
   */
  public static Result recall(int users, int items, int rank, float[] userFactors, boolean[] userKnown,
      float[] itemFactors, boolean[] itemKnown, int[] trainUser, int[] trainItem, int[] testUser, int[] testItem,
      int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int[][] seen = byUser(users, trainUser, trainItem);
    int[][] positives = byUser(users, testUser, testItem);
    double sum = IntStream.range(0, users).parallel()
        .filter(u -> positives[u].length > 0)
        .mapToDouble(u -> userKnown != null && !userKnown[u] ? 0.0 : RankingMetrics.recall(
            top(u, items, rank, userFactors, itemFactors, itemKnown, seen[u], k), positives[u], k))
        .sum();
    long evaluated = Arrays.stream(positives).filter(p -> p.length > 0).count();
    return new Result(evaluated == 0 ? Double.NaN : sum / evaluated, evaluated, k);
  }

  /** Mean recall@k and the number of users it is the mean of. */
  public record Result(double recall, long users, int k) {}

  /** The k best unseen items of user {@code u}, best first, ties to the lower index. */
  static int[] top(int u, int items, int rank, float[] userFactors, float[] itemFactors, boolean[] itemKnown,
      int[] seen, int k) {
    int[] heapItem = new int[k];
    double[] heapScore = new double[k];
    int size = 0;
    int cursor = 0;
    int pu = u * rank;
    for (int i = 0; i < items; i++) {
      if (cursor < seen.length && seen[cursor] == i) {
        cursor++;
        continue;
      }
      if (itemKnown != null && !itemKnown[i]) {
        continue;
      }
      double s = 0;
      int qi = i * rank;
      for (int f = 0; f < rank; f++) {
        s += (double) userFactors[pu + f] * itemFactors[qi + f];
      }
      // A min-heap on (score, -index): its root is the worst kept item. Items arrive by increasing index, so an
      // equal score never displaces a kept item.
      if (size < k) {
        heapItem[size] = i;
        heapScore[size] = s;
        siftUp(heapItem, heapScore, size++);
      } else if (s > heapScore[0]) {
        heapItem[0] = i;
        heapScore[0] = s;
        siftDown(heapItem, heapScore, size);
      }
    }
    Integer[] order = new Integer[size];
    for (int j = 0; j < size; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> heapScore[a] != heapScore[b] ? Double.compare(heapScore[b], heapScore[a])
        : Integer.compare(heapItem[a], heapItem[b]));
    int[] out = new int[size];
    for (int j = 0; j < size; j++) {
      out[j] = heapItem[order[j]];
    }
    return out;
  }

  /** Whether a ranks below b in the min-heap: a lower score, or an equal score and a higher item index. */
  private static boolean worse(int[] item, double[] score, int a, int b) {
    return score[a] < score[b] || (score[a] == score[b] && item[a] > item[b]);
  }

  private static void siftUp(int[] item, double[] score, int at) {
    while (at > 0) {
      int parent = (at - 1) / 2;
      if (!worse(item, score, at, parent)) {
        return;
      }
      swap(item, score, at, parent);
      at = parent;
    }
  }

  private static void siftDown(int[] item, double[] score, int size) {
    int at = 0;
    while (true) {
      int l = 2 * at + 1;
      int r = l + 1;
      int worst = at;
      if (l < size && worse(item, score, l, worst)) {
        worst = l;
      }
      if (r < size && worse(item, score, r, worst)) {
        worst = r;
      }
      if (worst == at) {
        return;
      }
      swap(item, score, at, worst);
      at = worst;
    }
  }

  private static void swap(int[] item, double[] score, int a, int b) {
    int ti = item[a];
    item[a] = item[b];
    item[b] = ti;
    double ts = score[a];
    score[a] = score[b];
    score[b] = ts;
  }

  /** Each user's distinct items, sorted. */
  static int[][] byUser(int users, int[] user, int[] item) {
    int[] count = new int[users];
    for (int u : user) {
      count[u]++;
    }
    int[][] out = new int[users][];
    for (int u = 0; u < users; u++) {
      out[u] = new int[count[u]];
    }
    int[] fill = new int[users];
    for (int r = 0; r < user.length; r++) {
      out[user[r]][fill[user[r]]++] = item[r];
    }
    for (int u = 0; u < users; u++) {
      int[] a = out[u];
      Arrays.sort(a);
      out[u] = Arrays.stream(a).distinct().toArray();
    }
    return out;
  }
}
