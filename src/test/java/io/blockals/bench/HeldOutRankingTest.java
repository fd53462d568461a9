package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blockals.metrics.RankingMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeldOutRankingTest {

  /**
   * Rank 1, item factors 5, 4, 3, 2, 1 for items 0..4. User 0 (factor 1) saw item 0 and held out items 1 and 4:
   * its unseen list is 1, 2, 3, 4 and at k = 2 it is [1, 2], one hit of min(2, 2): recall 1/2. User 1 (factor -1)
   * saw item 4 and held out item 0: its list is 3, 2, 1, 0 (scores -2, -3, -4, -5), at k = 2 [3, 2], no hit: recall
   * 0. User 2 has no held-out item and is not counted. Mean (0.5 + 0) / 2 = 0.25 over 2 users.
   */
  @Test
  void aHandComputedCaseLeavesTrainItemsOutAndAveragesOverUsersWithHeldOutItems() {
    float[] u = {1f, -1f, 1f};
    float[] v = {5f, 4f, 3f, 2f, 1f};
    HeldOutRanking.Result r = HeldOutRanking.recall(3, 5, 1, u, null, v, null, new int[] {0, 1, 2},
        new int[] {0, 4, 1}, new int[] {0, 0, 1}, new int[] {1, 4, 0}, 2);
    assertThat(r.users()).isEqualTo(2);
    assertThat(r.recall()).isEqualTo(0.25);
    // k = 4: user 0 ranks all four unseen items, both held-out ones among them: 2 / min(4, 2) = 1; user 1 ranks
    // 3, 2, 1, 0 with item 0 last: 1 / 1 = 1. Mean 1.
    assertThat(HeldOutRanking.recall(3, 5, 1, u, null, v, null, new int[] {0, 1, 2}, new int[] {0, 4, 1},
        new int[] {0, 0, 1}, new int[] {1, 4, 0}, 4).recall()).isEqualTo(1.0);
  }

  /** Equal scores go to the lower item index; an item without factors is never ranked; a user without scores 0. */
  @Test
  void tiesGoToTheLowerIndexUnknownItemsAreSkippedAndUnknownUsersScoreZero() {
    float[] v = {1f, 1f, 1f, 2f};
    assertThat(HeldOutRanking.top(0, 4, 1, new float[] {1f}, v, null, new int[0], 3)).containsExactly(3, 0, 1);
    assertThat(HeldOutRanking.top(0, 4, 1, new float[] {1f}, v, new boolean[] {true, false, true, true}, new int[0],
        3)).containsExactly(3, 0, 2);
    // Two users hold out item 2, which user 0 ranks fourth (3, 0, 1, 2); user 1 has no factors. At k = 4:
    // (1 + 0) / 2; at k = 3 item 2 loses the tie to items 0 and 1: 0.
    HeldOutRanking.Result r = HeldOutRanking.recall(2, 4, 1, new float[] {1f, 1f}, new boolean[] {true, false}, v,
        null, new int[0], new int[0], new int[] {0, 1}, new int[] {2, 2}, 4);
    assertThat(r.recall()).isEqualTo(0.5);
    assertThat(r.users()).isEqualTo(2);
    assertThat(HeldOutRanking.recall(2, 4, 1, new float[] {1f, 1f}, new boolean[] {true, false}, v, null,
        new int[0], new int[0], new int[] {0, 1}, new int[] {2, 2}, 3).recall()).isEqualTo(0.0);
  }

  /** Random small models against a full sort of every unseen item. */
  @Test
  void topKEqualsAFullSortOfTheUnseenItems() {
    Random rnd = new Random(7);
    int users = 40;
    int items = 60;
    int rank = 3;
    float[] u = new float[users * rank];
    float[] v = new float[items * rank];
    for (int i = 0; i < u.length; i++) {
      u[i] = rnd.nextInt(5) - 2;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(5) - 2;
    }
    List<Integer> tu = new ArrayList<>();
    List<Integer> ti = new ArrayList<>();
    for (int x = 0; x < users; x++) {
      for (int i = 0; i < items; i++) {
        if (rnd.nextInt(4) == 0) {
          tu.add(x);
          ti.add(i);
        }
      }
    }
    int[] trainUser = tu.stream().mapToInt(Integer::intValue).toArray();
    int[] trainItem = ti.stream().mapToInt(Integer::intValue).toArray();
    int[][] seen = HeldOutRanking.byUser(users, trainUser, trainItem);
    for (int k : new int[] {1, 5, 20, 100}) {
      for (int x = 0; x < users; x++) {
        final int user = x;
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < items; i++) {
          if (java.util.Arrays.binarySearch(seen[x], i) < 0) {
            all.add(i);
          }
        }
        all.sort(Comparator.comparingDouble((Integer i) -> -dot(u, v, user, i, rank)).thenComparingInt(i -> i));
        int[] expected = all.stream().limit(k).mapToInt(Integer::intValue).toArray();
        assertThat(HeldOutRanking.top(x, items, rank, u, v, null, seen[x], k)).containsExactly(expected);
      }
    }
    // The mean is that of RankingMetrics.recall over the users with held-out items.
    int[] testUser = {0, 0, 3, 7};
    int[] testItem = {1, 2, 5, 9};
    int[][] pos = HeldOutRanking.byUser(users, testUser, testItem);
    double sum = 0;
    for (int x : new int[] {0, 3, 7}) {
      sum += RankingMetrics.recall(HeldOutRanking.top(x, items, rank, u, v, null, seen[x], 10), pos[x], 10);
    }
    assertThat(HeldOutRanking.recall(users, items, rank, u, null, v, null, trainUser, trainItem, testUser, testItem,
        10).recall()).isCloseTo(sum / 3, within(1e-12));
  }

  private static double dot(float[] u, float[] v, int x, int i, int rank) {
    double s = 0;
    for (int f = 0; f < rank; f++) {
      s += (double) u[x * rank + f] * v[i * rank + f];
    }
    return s;
  }
}
