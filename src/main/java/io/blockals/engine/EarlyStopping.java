package io.blockals.engine;

/**
 * The stopping decision, told about each finished iteration in order: on the training loss ({@code tolerance}: its
 * relative decrease from the previous iteration) and, with a validation set, on the validation RMSE
 * ({@code patience}: iterations since the best one). With patience on, the iterate to publish is the best one seen
 * (lowest validation RMSE, the earliest of equals); otherwise it is the last. Plain Java, driver side.
 */
final class EarlyStopping {
  private final double tolerance;
  private final int patience;
  private double previousLoss = Double.NaN;
  private int last;
  private int best;
  private double bestRmse = Double.POSITIVE_INFINITY;

  EarlyStopping(double tolerance, int patience) {
    this.tolerance = tolerance;
    this.patience = patience;
  }

  /** True when the iterate to publish is the best by validation RMSE rather than the last. */
  boolean keepsBest() {
    return patience > 0;
  }

  /**
   * Takes iteration {@code s} (the next one) and says whether to stop after it: null to go on. A validation RMSE of
   * NaN (no held-out pairs) is never better and does not count towards patience.
   */
  StopReason observe(IterationStats s) {
    last = s.iteration();
    if (s.validationRmse() < bestRmse) {
      best = s.iteration();
      bestRmse = s.validationRmse();
    }
    double before = previousLoss;
    previousLoss = s.trainLoss();
    if (patience > 0 && best > 0 && last - best >= patience) {
      return StopReason.VALIDATION;
    }
    if (tolerance > 0 && !Double.isNaN(before) && (before - s.trainLoss()) < tolerance * Math.abs(before)) {
      return StopReason.TOLERANCE;
    }
    return null;
  }

  /**
   * The iteration whose factors are published: with patience on, the best one by validation RMSE (the last if no
   * iteration had a validation RMSE); else the last one seen. 0 before the first.
   */
  int chosenIteration() {
    return keepsBest() && best > 0 ? best : last;
  }
}
