package io.blockals.metrics;

import io.blockals.serve.FactorBlock;
import java.io.Serializable;

/**
 * A block of users to evaluate: their factors (with each user's train items as {@link FactorBlock#seen()}), their
 * held-out positives (sorted item positions) and the positives' scores (sorted ascending). A plain class so Kryo
 * can ship it.
 */
public final class EvalUsers implements Serializable {
  private static final long serialVersionUID = 1L;
  private final FactorBlock factors;
  private final int[][] positives;
  private final double[][] positiveScores;

  public EvalUsers(FactorBlock factors, int[][] positives, double[][] positiveScores) {
    if (positives.length != factors.rows() || positiveScores.length != factors.rows()) {
      throw new IllegalArgumentException(factors.rows() + " users but " + positives.length + " positive lists and "
          + positiveScores.length + " score lists");
    }
    this.factors = factors;
    this.positives = positives;
    this.positiveScores = positiveScores;
  }

  public FactorBlock factors() {
    return factors;
  }

  public int[][] positives() {
    return positives;
  }

  public double[][] positiveScores() {
    return positiveScores;
  }
}
