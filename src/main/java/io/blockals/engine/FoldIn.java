package io.blockals.engine;

import java.io.Serializable;

/**
 * Fold-in: factors for rows the model was not trained on (new users), solved from the other side's fixed factors
 * with the normal equations, regularisation and solver of a training half-step ({@link HalfStep}'s build and solve
 * parts, not a copy of them). Explicit feedback: ALS-WR, lambda times the row's number of ratings, and with biases the
 * bias column in the system and the target {@code r - global_mean - item bias}; implicit feedback: the
 * Hu-Koren-Volinsky equations with YᵀY of every item. Plain Java, no Spark: the serve job calls it on the executors.
 */
public final class FoldIn implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AlsParams params;
  private final double globalMean;
  private final double[] yty;

  /**
   * @param params the model's training parameters (rank, reg_param, implicit, alpha, biases, nonnegative, solver)
   * @param globalMean the model's global mean (used only with biases)
   * @param yty packed YᵀY over every item factor ({@link #gram}, summed) for implicit feedback; null otherwise
   */
  public FoldIn(AlsParams params, double globalMean, double[] yty) {
    int dim = params.dim();
    if (params.implicit() && (yty == null || yty.length != dim * (dim + 1) / 2)) {
      throw new IllegalArgumentException("implicit fold-in needs the packed YᵀY of the items (" + dim * (dim + 1) / 2
          + " values), got " + (yty == null ? "none" : yty.length + " values"));
    }
    this.params = params;
    this.globalMean = globalMean;
    this.yty = params.implicit() ? yty.clone() : null;
  }

  /** Values per solved row: rank features, then the bias when the model has biases. */
  public int dim() {
    return params.dim();
  }

  /** Packed upper triangle of YᵀY over {@code n} rows of {@code rank} features; partial sums add up. */
  public static double[] gram(float[] features, int n, int rank) {
    return HalfStep.gram(features, n, rank);
  }

  /**
   * Solves {@code rowPtr.length - 1} rows. Row r's ratings are {@code value[rowPtr[r] .. rowPtr[r+1])}; rating j is
   * of the other side's row {@code pos[j]}, whose features are {@code other[pos[j] * rank .. + rank)} and whose bias
   * is {@code otherBias[pos[j]]}. Each (row, other row) pair should appear once: duplicates are the caller's to
   * resolve, as training's set-up resolves them.
   *
   * @param otherBias the other side's biases; read only when the model has biases
   * @return {@code n * dim()} floats, row after row: the features, then the bias with biases on; a row without
   *     ratings is all 0
   */
  public float[] solve(int[] rowPtr, int[] pos, float[] value, float[] other, float[] otherBias, int numOther) {
    int rank = params.rank();
    if ((long) numOther * rank > other.length) {
      throw new IllegalArgumentException("other holds " + other.length + " values, " + numOther + " rows of rank "
          + rank + " need " + (long) numOther * rank);
    }
    HalfStep.Gathered g = new HalfStep.Gathered(numOther, params, yty);
    boolean biases = params.biases();
    for (int row = 0; row < numOther; row++) {
      g.put(row, other, row * rank, biases ? otherBias[row] : 0f);
    }
    return HalfStep.solveRows(rowPtr.length - 1, rowPtr, pos, value, g, params, globalMean, false, null,
        new double[2]);
  }
}
