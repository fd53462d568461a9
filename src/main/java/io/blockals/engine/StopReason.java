package io.blockals.engine;

import java.util.Locale;

/** Why the iterations ended, as model.json's {@code stop_reason} names it. */
public enum StopReason {
  /** All {@code max_iter} iterations ran. */
  MAX_ITER,
  /** The training loss fell by less than {@code tolerance} in one iteration. */
  TOLERANCE,
  /** {@code patience} iterations in a row did not lower the validation RMSE. */
  VALIDATION;

  /** The name in model.json: {@code max_iter}, {@code tolerance} or {@code validation}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
