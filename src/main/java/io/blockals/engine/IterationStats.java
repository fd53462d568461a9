package io.blockals.engine;

/**
 * What one iteration did, as logged and kept in model.json's history.
 *
 * @param iteration 1-based
 * @param trainLoss the objective: squared error (implicit: confidence-weighted loss) plus the regularisation term
 * @param trainRmse root mean squared error over the training ratings (NaN for implicit feedback)
 * @param seconds wall time of the iteration, both halves and the loss
 * @param validationRmse RMSE over the held-out pairs with this iteration's factors, scored as
 *     {@code io.blockals.model.Scoring} scores them (NaN without a validation set)
 */
public record IterationStats(int iteration, double trainLoss, double trainRmse, double seconds,
    double validationRmse) {

  /** Without a validation set. */
  public IterationStats(int iteration, double trainLoss, double trainRmse, double seconds) {
    this(iteration, trainLoss, trainRmse, seconds, Double.NaN);
  }
}
