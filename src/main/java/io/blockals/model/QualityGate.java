package io.blockals.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether a freshly trained model may replace the published one, by validation RMSE (lower is better).
 * Both thresholds are fractions of the published model's recorded RMSE, and at most one is set:
 * <ul>
 *   <li>{@code min_improvement = f}: publish only if {@code new <= previous * (1 - f)} (the new model must be at
 *       least f better; 0 means "not worse");</li>
 *   <li>{@code max_regression = f}: publish if {@code new <= previous * (1 + f)} (a model may be up to f worse, to
 *       absorb the noise of a changing validation set).</li>
 * </ul>
 * With neither set the gate is off. With no published model, or one that recorded no validation RMSE, there is
 * nothing to compare with and the model is published (the decision says so). A run whose own validation RMSE is not
 * a number (an empty validation split) is refused: a gate that cannot judge must not wave a model through.
 *
 * @param minImprovement null or a fraction in [0, 1)
 * @param maxRegression null or a fraction &gt;= 0
 */
public record QualityGate(Double minImprovement, Double maxRegression) {

  /** The metric compared, as named in model.json's {@code metrics}. */
  public static final String METRIC = "validation_rmse";

  public QualityGate {
    if (minImprovement != null && maxRegression != null) {
      throw new IllegalArgumentException("set min_improvement or max_regression, not both");
    }
  }

  public boolean enabled() {
    return minImprovement != null || maxRegression != null;
  }

  /**
   * @param publish whether to publish
   * @param reason one sentence for the log and the exit-4 message
   * @param record what model.json keeps under {@code quality_gate}
   */
  public record Decision(boolean publish, String reason, Map<String, Object> record) {}

  /**
   * @param current this run's validation RMSE
   * @param previous the published model's recorded validation RMSE; null if there is no published model or it
   *     recorded none
   * @param previousRun the published model's run id (for the messages), or null
   * @param hasPrevious whether a published model exists at all
   */
  public Decision decide(double current, Double previous, String previousRun, boolean hasPrevious) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("metric", METRIC);
    rec.put("value", current);
    if (minImprovement != null) {
      rec.put("min_improvement", minImprovement);
    } else {
      rec.put("max_regression", maxRegression);
    }
    if (!hasPrevious) {
      rec.put("decision", "published: no previous model");
      return new Decision(true, "no published model to compare with", rec);
    }
    rec.put("previous_run_id", previousRun);
    if (previous == null || !Double.isFinite(previous)) {
      rec.put("decision", "published: previous model has no " + METRIC);
      return new Decision(true, "the published model (run " + previousRun + ") recorded no " + METRIC
          + " (trained without validation_fraction); nothing to compare with", rec);
    }
    rec.put("previous", previous);
    double threshold = minImprovement != null ? previous * (1.0 - minImprovement) : previous * (1.0 + maxRegression);
    rec.put("threshold", threshold);
    if (!Double.isFinite(current)) {
      rec.put("decision", "refused");
      return new Decision(false, "this run's " + METRIC + " is not a number (empty validation split)", rec);
    }
    String rule = minImprovement != null
        ? String.format("min_improvement %s requires at most %.6f", minImprovement, threshold)
        : String.format("max_regression %s allows at most %.6f", maxRegression, threshold);
    boolean ok = current <= threshold;
    rec.put("decision", ok ? "published" : "refused");
    String reason = String.format("%s %.6f vs %.6f of the published model (run %s); %s", METRIC, current, previous,
        previousRun, rule);
    return new Decision(ok, reason, rec);
  }
}
