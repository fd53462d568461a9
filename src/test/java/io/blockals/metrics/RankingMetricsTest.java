package io.blockals.metrics;

import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.serve.FactorBlock;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final double TOL = 1e-12;
  /** Ranked best first; the positives 1 and 3 sit at ranks 2 and 4, positive 4 is not ranked. */
  private static final int[] RANKED = {7, 3, 9, 1, 5};
  private static final int[] POSITIVES = {1, 3, 4};

  @Test
  void precisionIsHitsOverK() {
    // hits in the top 5: items 3 and 1 -> 2 / 5
    assertClose(RankingMetrics.precision(RANKED, POSITIVES, 5), 2.0 / 5, TOL, "precision@5");
    // top 3 = {7, 3, 9}: one hit -> 1 / 3
    assertClose(RankingMetrics.precision(RANKED, POSITIVES, 3), 1.0 / 3, TOL, "precision@3");
  }

  @Test
  void recallDividesByTheSmallerOfKAndThePositives() {
    // 2 hits / min(5, 3 positives) = 2 / 3
    assertClose(RankingMetrics.recall(RANKED, POSITIVES, 5), 2.0 / 3, TOL, "recall@5");
    // 1 hit / min(3, 3) = 1 / 3
    assertClose(RankingMetrics.recall(RANKED, POSITIVES, 3), 1.0 / 3, TOL, "recall@3");
    // six positives, the top 2 both hit: 2 / min(2, 6) = 1, a perfect list
    assertClose(RankingMetrics.recall(new int[] {1, 2}, new int[] {1, 2, 3, 4, 5, 6}, 2), 1.0, TOL, "recall@2");
  }

  @Test
  void ndcgUsesBinaryGainLog2DiscountAndTheIdealOfMinKPositives() {
    // DCG = 1/log2(2+1) + 1/log2(4+1) = 0.630929754 + 0.430676558 = 1.061606312
    // IDCG (min(5, 3) = 3 hits at ranks 1..3) = 1/log2(2) + 1/log2(3) + 1/log2(4) = 1 + 0.630929754 + 0.5
    //      = 2.130929754; NDCG = 1.061606312 / 2.130929754 = 0.498189257
    assertClose(RankingMetrics.ndcg(RANKED, POSITIVES, 5), 0.49818925746641285, TOL, "ndcg@5");
    // top 3: DCG = 1/log2(3) = 0.630929754, IDCG the same 2.130929754 -> 0.296081911
    assertClose(RankingMetrics.ndcg(RANKED, POSITIVES, 3), 0.2960819109658652, TOL, "ndcg@3");
    // six positives, both of the top 2 hit: DCG = IDCG = 1 + 1/log2(3) -> 1
    assertClose(RankingMetrics.ndcg(new int[] {1, 2}, new int[] {1, 2, 3, 4, 5, 6}, 2), 1.0, TOL, "ndcg@2");
  }

  @Test
  void averagePrecisionSumsPrecisionAtEachHit() {
    // hits at ranks 2 and 4: (1/2 + 2/4) / min(5, 3) = 1 / 3
    assertClose(RankingMetrics.averagePrecision(RANKED, POSITIVES, 5), 1.0 / 3, TOL, "ap@5");
    // top 3: one hit at rank 2: (1/2) / min(3, 3) = 1 / 6
    assertClose(RankingMetrics.averagePrecision(RANKED, POSITIVES, 3), 1.0 / 6, TOL, "ap@3");
    // hits at ranks 1 and 3 of {5, 8, 6}, positives {5, 6}: (1/1 + 2/3) / 2 = 5 / 6
    assertClose(RankingMetrics.averagePrecision(new int[] {5, 8, 6}, new int[] {5, 6}, 3), 5.0 / 6, TOL, "ap@3");
  }

  @Test
  void aListShorterThanKCountsTheMissingRanksAsMisses() {
    int[] ranked = {3};
    int[] positives = {3};
    // 1 hit / k = 5
    assertClose(RankingMetrics.precision(ranked, positives, 5), 0.2, TOL, "precision@5");
    // 1 / min(5, 1)
    assertClose(RankingMetrics.recall(ranked, positives, 5), 1.0, TOL, "recall@5");
    assertClose(RankingMetrics.ndcg(ranked, positives, 5), 1.0, TOL, "ndcg@5");
    assertClose(RankingMetrics.averagePrecision(ranked, positives, 5), 1.0, TOL, "ap@5");
  }

  @Test
  void noPositivesScoresZeroAndKMustBePositive() {
    assertThat(RankingMetrics.ndcg(RANKED, new int[0], 5)).isZero();
    assertThatThrownBy(() -> RankingMetrics.recall(RANKED, POSITIVES, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aucCountsWinsAndHalfTiesOverEveryPositiveNegativePair() {
    AucCounter auc = new AucCounter(AucCounter.sorted(new double[] {0.9, 0.5}));
    for (double neg : new double[] {0.7, 0.5, 0.1}) {
      auc.negative(neg);
    }
    // 0.9 beats all three negatives: 3; 0.5 loses to 0.7, ties 0.5 (one half), beats 0.1: 1.5 -> 4.5 / (2 * 3)
    assertClose(auc.auc(), 0.75, TOL, "auc");
  }

  @Test
  void aucOfMergedCountersIsTheAucOfAllNegatives() {
    double[] pos = {0.2, 0.6};
    AucCounter a = new AucCounter(pos);
    a.negative(0.1);
    AucCounter b = new AucCounter(pos);
    b.negative(0.4);
    b.negative(0.8);
    // pairs won: 0.2 beats 0.1 (1), 0.6 beats 0.1 and 0.4 (2) -> 3 of 2 x 3 = 6
    assertClose(a.merge(b).auc(), 0.5, TOL, "auc");
    assertThat(new AucCounter(pos).defined()).as("no negatives yet").isFalse();
    assertThat(new AucCounter(pos).auc()).isNaN();
  }

  @Test
  void scanSkipsTrainItemsAndRanksTheRestAcrossItemBlocks() {
    // One user, rank 1, feature 1, no biases: item positions 0..3 with features 4, 3, 2, 1 score 4, 3, 2, 1.
    // Item 0 is a train item (never ranked), item 2 the held-out positive.
    FactorBlock user = new FactorBlock(new Object[] {"u"}, null,
        new float[] {0f}, new float[] {1f}, 1, new int[][] {{0}});
    EvalUsers users = new EvalUsers(user, new int[][] {{2}}, new double[][] {{2.0}});
    FactorBlock first = new FactorBlock(new Object[] {"a", "b"},
        new int[] {0, 1}, new float[] {0f, 0f}, new float[] {4f, 3f}, 1, null);
    FactorBlock second = new FactorBlock(new Object[] {"c", "d"},
        new int[] {2, 3}, new float[] {0f, 0f}, new float[] {2f, 1f}, 1, null);
    UserRanking[] r1 = RankingScan.start(users, 2);
    RankingScan.scan(users, first, 0.0, r1);
    UserRanking[] r2 = RankingScan.start(users, 2);
    RankingScan.scan(users, second, 0.0, r2);
    UserRanking r = r1[0].merge(r2[0]);
    // unseen items by score: 1 (3), 2 (2), 3 (1); top 2 = [1, 2]
    assertThat(r.ranked()).containsExactly(1, 2);
    // negatives are the unseen non-positives 1 (score 3) and 3 (score 1): the positive (2) beats one of two
    assertClose(r.auc().auc(), 0.5, TOL, "auc");
    MetricSums sums = new MetricSums(2).add(r);
    RankingResult res = sums.result();
    // hit at rank 2: precision 1/2, recall 1/min(2, 1) = 1, NDCG (1/log2 3) / 1 = 0.630929754, AP (1/2) / 1
    assertClose(res.precision(), 0.5, TOL, "precision@2");
    assertClose(res.recall(), 1.0, TOL, "recall@2");
    assertClose(res.ndcg(), 0.6309297535714575, TOL, "ndcg@2");
    assertClose(res.map(), 0.5, TOL, "map@2");
    assertThat(res.users()).isEqualTo(1);
  }
}
