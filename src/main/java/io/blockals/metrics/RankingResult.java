package io.blockals.metrics;

/**
 * Ranking metrics of a model on held-out data, each the mean over evaluated users.
 *
 * @param k the cut-off of precision, recall, NDCG and MAP
 * @param users users with at least one held-out positive that the model knows
 * @param auc the mean per-user AUC of the positives against every unseen item (exact, not sampled)
 * @param aucUsers users for whom the AUC is defined (at least one positive and one unseen negative)
 */
public record RankingResult(int k, long users, double precision, double recall, double ndcg, double map, double auc,
    long aucUsers) {}
