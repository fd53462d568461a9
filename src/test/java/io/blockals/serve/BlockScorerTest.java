package io.blockals.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockScorerTest {
  private static final int RANK = 5;

  private static float[] randomFactors(Random rnd, int rows, boolean coarse) {
    float[] f = new float[rows * RANK];
    for (int i = 0; i < f.length; i++) {
      // Coarse values (-1, 0, 1) make equal scores common, so ties are exercised.
      f[i] = coarse ? rnd.nextInt(3) - 1 : (float) rnd.nextGaussian();
    }
    return f;
  }

  private static double naiveDot(float[] a, int ar, float[] b, int br) {
    double s = 0;
    for (int j = 0; j < RANK; j++) {
      s += (double) a[ar * RANK + j] * b[br * RANK + j];
    }
    return s;
  }

  @Test
  void dotMatchesTheNaiveSumForEveryTailLength() {
    Random rnd = new Random(3);
    for (int rank = 1; rank <= 13; rank++) {
      float[] a = new float[rank];
      float[] b = new float[rank];
      double want = 0;
      for (int j = 0; j < rank; j++) {
        a[j] = (float) rnd.nextGaussian();
        b[j] = (float) rnd.nextGaussian();
        want += (double) a[j] * b[j];
      }
      assertThat(BlockScorer.dot(a, 0, b, 0, rank)).isCloseTo(want, within(1e-12));
    }
  }

  @Test
  void scoringTwoItemBlocksEqualsBruteForceTopKWithoutSeenItems() {
    Random rnd = new Random(5);
    int users = 9;
    int items = 23;
    int k = 6;
    float[] uf = randomFactors(rnd, users, true);
    float[] itf = randomFactors(rnd, items, true);
    float[] ub = new float[users];
    float[] ib = new float[items];
    for (int i = 0; i < items; i++) {
      ib[i] = rnd.nextInt(2);
    }
    int[][] seen = new int[users][];
    for (int u = 0; u < users; u++) {
      // user 0 has seen all but 3 items: fewer than k rows; user 1 nothing (null)
      int keep = u == 0 ? items - 3 : rnd.nextInt(6);
      seen[u] = u == 1 ? null : rnd.ints(0, items).distinct().limit(keep).sorted().toArray();
    }
    double mu = 0.5;
    // Items cut into two blocks whose positions are not contiguous in the offer order.
    int split = 11;
    FactorBlock usersBlock = new FactorBlock(new Object[users], null, ub, uf, RANK, seen);
    FactorBlock first = itemBlock(itf, ib, 0, split);
    FactorBlock second = itemBlock(itf, ib, split, items);
    TopK[] heaps = new TopK[users];
    TopK[] other = new TopK[users];
    for (int u = 0; u < users; u++) {
      heaps[u] = new TopK(k);
      other[u] = new TopK(k);
    }
    BlockScorer.score(usersBlock, second, mu, heaps);
    BlockScorer.score(usersBlock, first, mu, other);
    for (int u = 0; u < users; u++) {
      heaps[u].merge(other[u]);
      final int user = u;
      List<Integer> cand = new ArrayList<>();
      for (int i = 0; i < items; i++) {
        if (seen[u] == null || Arrays.binarySearch(seen[u], i) < 0) {
          cand.add(i);
        }
      }
      Comparator<Integer> best = Comparator.<Integer>comparingDouble(i -> -(mu + ib[i] + naiveDot(uf, user, itf, i)))
          .thenComparingInt(i -> i);
      cand.sort(best);
      int[] want = cand.stream().limit(k).mapToInt(Integer::intValue).toArray();
      assertThat(heaps[u].sortedItems()).as("user %d", u).containsExactly(want);
      double[] s = heaps[u].sortedScores();
      for (int r = 0; r < want.length; r++) {
        assertThat(s[r]).isCloseTo(mu + ib[want[r]] + naiveDot(uf, u, itf, want[r]), within(1e-9));
      }
    }
    assertThat(heaps[0].size()).isEqualTo(3);
  }

  private static FactorBlock itemBlock(float[] f, float[] bias, int from, int to) {
    int n = to - from;
    int[] pos = new int[n];
    for (int i = 0; i < n; i++) {
      pos[i] = from + i;
    }
    return new FactorBlock(new Object[n], pos, Arrays.copyOfRange(bias, from, to),
        Arrays.copyOfRange(f, from * RANK, to * RANK), RANK, null);
  }

  @Test
  void cosineEqualsBruteForceNeverListsItselfAndSkipsZeroVectors() {
    Random rnd = new Random(9);
    int items = 17;
    int k = 4;
    float[] raw = randomFactors(rnd, items, false);
    Arrays.fill(raw, 3 * RANK, 4 * RANK, 0f); // item 3 is a zero vector
    float[] unit = raw.clone();
    float[] norms = new float[items];
    int[] pos = new int[items];
    for (int i = 0; i < items; i++) {
      norms[i] = BlockScorer.normalise(unit, i * RANK, RANK);
      pos[i] = i;
    }
    assertThat(norms[3]).isZero();
    FactorBlock all = new FactorBlock(new Object[items], pos, norms, unit, RANK, null);
    TopK[] heaps = new TopK[items];
    for (int i = 0; i < items; i++) {
      heaps[i] = new TopK(k);
    }
    BlockScorer.cosine(all, all, heaps);
    for (int q = 0; q < items; q++) {
      if (q == 3) {
        assertThat(heaps[q].size()).isZero();
        continue;
      }
      final int query = q;
      double qn = Math.sqrt(naiveDot(raw, q, raw, q));
      List<Integer> cand = new ArrayList<>();
      for (int c = 0; c < items; c++) {
        if (c != q && c != 3) {
          cand.add(c);
        }
      }
      Comparator<Integer> best = Comparator.<Integer>comparingDouble(
          c -> -naiveDot(raw, query, raw, c) / (qn * Math.sqrt(naiveDot(raw, c, raw, c)))).thenComparingInt(c -> c);
      cand.sort(best);
      int[] want = cand.stream().limit(k).mapToInt(Integer::intValue).toArray();
      assertThat(heaps[q].sortedItems()).as("item %d", q).containsExactly(want).doesNotContain(q, 3);
      double[] s = heaps[q].sortedScores();
      for (int r = 0; r < k; r++) {
        int c = want[r];
        assertThat(s[r]).isCloseTo(naiveDot(raw, q, raw, c) / (qn * Math.sqrt(naiveDot(raw, c, raw, c))),
            within(1e-5));
      }
    }
  }
}
