package io.blockals.metrics;

import java.io.Serializable;

/**
 * Sums of the per-user ranking metrics, added up on the executors and merged into one on the driver; the reported
 * metric is the mean over users with at least one held-out positive (AUC: over users with at least one positive and
 * one negative). A plain class so Kryo can ship it.
 */
public final class MetricSums implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int k;
  private long users;
  private double precision;
  private double recall;
  private double ndcg;
  private double averagePrecision;
  private long aucUsers;
  private double auc;

  public MetricSums(int k) {
    this.k = k;
  }

  /** Adds one user's ranking; a user without positives is not counted. */
  public MetricSums add(UserRanking r) {
    int[] positives = r.positives();
    if (positives.length == 0) {
      return this;
    }
    int[] ranked = r.ranked();
    users++;
    precision += RankingMetrics.precision(ranked, positives, k);
    recall += RankingMetrics.recall(ranked, positives, k);
    ndcg += RankingMetrics.ndcg(ranked, positives, k);
    averagePrecision += RankingMetrics.averagePrecision(ranked, positives, k);
    if (r.auc().defined()) {
      aucUsers++;
      auc += r.auc().auc();
    }
    return this;
  }

  public MetricSums merge(MetricSums o) {
    users += o.users;
    precision += o.precision;
    recall += o.recall;
    ndcg += o.ndcg;
    averagePrecision += o.averagePrecision;
    aucUsers += o.aucUsers;
    auc += o.auc;
    return this;
  }

  /** The means; NaN where no user counted. */
  public RankingResult result() {
    return new RankingResult(k, users, mean(precision, users), mean(recall, users), mean(ndcg, users),
        mean(averagePrecision, users), mean(auc, aucUsers), aucUsers);
  }

  private static double mean(double sum, long n) {
    return n == 0 ? Double.NaN : sum / n;
  }
}
