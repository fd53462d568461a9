package io.blockals.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

  /** Oracle: sort every pair by score descending, then position ascending, and take the first k. */
  private static int[] bruteForce(double[] scores, int k) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      all.add(i);
    }
    all.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return all.stream().limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void keepsTheBestKWithTiesBySmallerPositionWhateverTheOfferOrder() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(60);
      int k = 1 + rnd.nextInt(12);
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = rnd.nextInt(5); // few distinct values: many ties
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      java.util.Collections.shuffle(order, rnd);
      TopK heap = new TopK(k);
      for (int i : order) {
        heap.offer(scores[i], i);
      }
      assertThat(heap.sortedItems()).containsExactly(bruteForce(scores, k));
      assertThat(heap.size()).isEqualTo(Math.min(k, n));
    }
  }

  @Test
  void mergingHeapsOfDisjointBlocksGivesTheGlobalTop() {
    Random rnd = new Random(11);
    double[] scores = new double[100];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = rnd.nextInt(20);
    }
    TopK a = new TopK(7);
    TopK b = new TopK(7);
    for (int i = 0; i < scores.length; i++) {
      (i % 3 == 0 ? a : b).offer(scores[i], i);
    }
    assertThat(b.merge(a).sortedItems()).containsExactly(bruteForce(scores, 7));
    double[] s = b.sortedScores();
    for (int r = 1; r < s.length; r++) {
      assertThat(s[r]).isLessThanOrEqualTo(s[r - 1]);
    }
  }

  @Test
  void nanIsNeverKeptAndKBelowOneIsRefused() {
    TopK heap = new TopK(3);
    heap.offer(Double.NaN, 0);
    heap.offer(1.0, 1);
    assertThat(heap.sortedItems()).containsExactly(1);
    assertThatThrownBy(() -> new TopK(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
