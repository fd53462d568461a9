package io.blockals.metrics;

import io.blockals.serve.BlockScorer;
import io.blockals.serve.FactorBlock;
import java.util.Arrays;

/**
 * Scores a block of evaluated users against a block of items: every item that is not one of the user's train
 * items is offered to the user's {@link UserRanking}, with the score of the model contract,
 * {@code (global_mean + user.bias) + item.bias + dot}, computed exactly as {@link #score} computes the positives'
 * scores, so a positive and an equal-scoring negative really tie.
 */
public final class RankingScan {
  private RankingScan() {}

  /** One fresh ranking per user of the block. */
  public static UserRanking[] start(EvalUsers users, int k) {
    UserRanking[] out = new UserRanking[users.factors().rows()];
    for (int u = 0; u < out.length; u++) {
      out[u] = new UserRanking(k, users.positives()[u], users.positiveScores()[u]);
    }
    return out;
  }

  /** Offers every (user, item) pair of the two blocks whose item is not a train item of the user. */
  public static void scan(EvalUsers users, FactorBlock items, double globalMean, UserRanking[] rankings) {
    FactorBlock uf = users.factors();
    int rank = uf.rank();
    if (items.rank() != rank) {
      throw new IllegalArgumentException("user rank " + rank + " but item rank " + items.rank());
    }
    for (int u = 0; u < uf.rows(); u++) {
      int[] seen = uf.seen() == null ? null : uf.seen()[u];
      boolean filter = seen != null && seen.length > 0;
      UserRanking ranking = rankings[u];
      for (int i = 0; i < items.rows(); i++) {
        int pos = items.positions()[i];
        if (filter && Arrays.binarySearch(seen, pos) >= 0) {
          continue;
        }
        ranking.offer(score(globalMean, uf.bias()[u], uf.features(), u * rank, items.bias()[i], items.features(),
            i * rank, rank), pos);
      }
    }
  }

  /** The score of the model contract, in the one order of operations every ranking score uses. */
  public static double score(double globalMean, float userBias, float[] userFeatures, int userOff, float itemBias,
      float[] itemFeatures, int itemOff, int rank) {
    double base = globalMean + userBias;
    return base + itemBias + BlockScorer.dot(userFeatures, userOff, itemFeatures, itemOff, rank);
  }
}
