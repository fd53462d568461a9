package io.blockals.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector and scalar scorers on blocks of awkward shapes: ranks around the lane widths, item counts that are not
 * multiples of the tile, items out of position order, seen lists and ties. Oracle one is exact: a brute force with the
 * same float accumulation ({@code Math.fma} in feature order, from 0), sorted by score and then position. Oracle two
 * is a double-precision brute force, within the float rounding bound rank * 2^-24 * sum |u_f v_f| per score.
 */
class BlockScorerKernelsTest {
  private static final int K = 7;
  private static final double MU = 0.25;

  private record Case(int rank, int users, int items, float[] uf, float[] ub, float[] itf, float[] ib, int[] pos,
      int[][] seen) {}

  private static Case make(long seed, int rank, int users, int items, boolean coarse) {
    Random rnd = new Random(seed);
    float[] uf = new float[users * rank];
    float[] itf = new float[items * rank];
    for (float[] f : new float[][] {uf, itf}) {
      for (int i = 0; i < f.length; i++) {
        f[i] = coarse ? rnd.nextInt(3) - 1 : (float) rnd.nextGaussian();
      }
    }
    float[] ub = new float[users];
    float[] ib = new float[items];
    for (int i = 0; i < items; i++) {
      ib[i] = coarse ? rnd.nextInt(2) : (float) (0.1 * rnd.nextGaussian());
    }
    for (int u = 0; u < users; u++) {
      ub[u] = (float) (0.1 * rnd.nextGaussian());
    }
    // Positions: a shuffled, gapped range, so the block is not in position order.
    List<Integer> p = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      p.add(3 * i + rnd.nextInt(3));
    }
    java.util.Collections.shuffle(p, rnd);
    int[] pos = p.stream().mapToInt(Integer::intValue).toArray();
    int[] sortedPos = pos.clone();
    Arrays.sort(sortedPos);
    int[][] seen = new int[users][];
    for (int u = 0; u < users; u++) {
      if (u % 3 == 1) {
        continue; // nothing seen (null)
      }
      int n = u % 3 == 0 ? Math.max(0, items - 2) : rnd.nextInt(items + 1);
      seen[u] = rnd.ints(0, items).distinct().limit(n).map(i -> sortedPos[i]).sorted().toArray();
    }
    return new Case(rank, users, items, uf, ub, itf, ib, pos, seen);
  }

  private static TopK[] score(Case c, BlockScorer.Kernel kernel) {
    FactorBlock users = new FactorBlock(new Object[c.users], null, c.ub.clone(), c.uf.clone(), c.rank, c.seen);
    FactorBlock items = new FactorBlock(new Object[c.items], c.pos.clone(), c.ib.clone(), c.itf.clone(), c.rank, null);
    TopK[] heaps = new TopK[c.users];
    for (int u = 0; u < c.users; u++) {
      heaps[u] = new TopK(K);
    }
    BlockScorer.score(users, items, MU, heaps, kernel);
    return heaps;
  }

  private static float fmaDot(Case c, int u, int i) {
    float s = 0f;
    for (int f = 0; f < c.rank; f++) {
      s = Math.fma(c.uf[u * c.rank + f], c.itf[i * c.rank + f], s);
    }
    return s;
  }

  private static boolean seen(Case c, int u, int i) {
    return c.seen[u] != null && Arrays.binarySearch(c.seen[u], c.pos[i]) >= 0;
  }

  /** Exact: the same float dot, ties by position. */
  private static void assertExact(Case c, TopK[] heaps, String what) {
    for (int u = 0; u < c.users; u++) {
      final int user = u;
      List<Integer> cand = new ArrayList<>();
      for (int i = 0; i < c.items; i++) {
        if (!seen(c, u, i)) {
          cand.add(i);
        }
      }
      double[] score = new double[c.items];
      for (int i : cand) {
        score[i] = ((double) MU + c.ub[user]) + c.ib[i] + fmaDot(c, user, i);
      }
      cand.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> c.pos[i]));
      List<Integer> top = cand.subList(0, Math.min(K, cand.size()));
      int[] wantPos = top.stream().mapToInt(i -> c.pos[i]).toArray();
      double[] wantScore = top.stream().mapToDouble(i -> score[i]).toArray();
      assertThat(heaps[u].sortedItems()).as("%s user %d positions", what, u).containsExactly(wantPos);
      assertThat(heaps[u].sortedScores()).as("%s user %d scores", what, u).containsExactly(wantScore);
    }
  }

  /** Within float rounding of the double-precision scores. */
  private static void assertCloseToDouble(Case c, TopK[] heaps, String what) {
    for (int u = 0; u < c.users; u++) {
      int[] items = heaps[u].sortedItems();
      double[] scores = heaps[u].sortedScores();
      for (int r = 0; r < items.length; r++) {
        int i = indexOf(c.pos, items[r]);
        double exact = MU + c.ub[u] + c.ib[i];
        double mass = 0;
        for (int f = 0; f < c.rank; f++) {
          double prod = (double) c.uf[u * c.rank + f] * c.itf[i * c.rank + f];
          exact += prod;
          mass += Math.abs(prod);
        }
        double bound = c.rank * Math.ulp(1f) / 2 * mass + 1e-12;
        assertThat(Math.abs(scores[r] - exact)).as("%s user %d item %d: |float - double|", what, u, items[r])
            .isLessThanOrEqualTo(bound);
        assertThat(seen(c, u, i)).as("%s user %d item %d was seen", what, u, items[r]).isFalse();
      }
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new AssertionError("position " + v + " not in the block");
  }

  @Test
  void bothKernelsEqualTheFloatOracleAndTheDoubleOneWithinRounding() {
    long seed = 1;
    for (int rank : new int[] {1, 3, 8, 10, 17, 32, 33}) {
      for (int[] shape : new int[][] {{1, 1}, {5, 31}, {6, 33}, {9, 300}, {37, 70}}) {
        for (boolean coarse : new boolean[] {false, true}) {
          Case c = make(seed++, rank, shape[0], shape[1], coarse);
          String what = "rank " + rank + ", " + shape[0] + " x " + shape[1] + (coarse ? ", ties" : "");
          TopK[] scalar = score(c, BlockScorer.Kernel.SCALAR);
          assertExact(c, scalar, what + ", scalar");
          assertCloseToDouble(c, scalar, what + ", scalar");
          if (BlockScorer.vectorUsable()) {
            TopK[] vector = score(c, BlockScorer.Kernel.VECTOR);
            assertExact(c, vector, what + ", vector");
          }
        }
      }
    }
  }

  @Test
  void theVectorKernelIsWhatTheseTestsRun() {
    // The build runs the tests with the incubator module; without it only the scalar half of the test above runs.
    assertThat(BlockScorer.vectorUsable()).as("jdk.incubator.vector usable in the test JVM").isTrue();
  }
}
