/**
 * Measuring a model: ranking metrics of one user's top-K list against their held-out positives (precision@k,
 * recall@k, NDCG@k, MAP@k), an exact AUC of the positives against every unseen item, and the per-user sums the
 * evaluation job adds up on the executors. Plain Java, no Spark: {@code io.blockals.job.EvaluateJob} hands each
 * pair of a user block and an item block to {@link io.blockals.metrics.RankingScan} and merges the results.
 *
 * <p>Items are positions in the item table sorted by id, as in {@code io.blockals.serve}; a user's positives and
 * train items are sorted {@code int[]} of positions.
 */
package io.blockals.metrics;
