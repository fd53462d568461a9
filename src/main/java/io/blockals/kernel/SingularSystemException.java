package io.blockals.kernel;

import java.util.Locale;

/**
 * The regularised normal equations of one row are not positive definite, so the row has no unique solution.
 * This happens with {@code lambda = 0} when a user (item) has fewer independent ratings than the rank.
 */
public final class SingularSystemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final int apparentRank;
  private final double lambda;

  /**
   * @param k the rank (dimension) of the system
   * @param apparentRank the number of usable Cholesky pivots, i.e. the numerical rank of {@code ata + lambda I}
   * @param lambda the regularisation added to the diagonal for this row
   */
  public SingularSystemException(int k, int apparentRank, double lambda) {
    super(String.format(Locale.ROOT,
        "normal equations are singular: rank k=%d but apparent rank %d (%d of %d usable pivots) with lambda=%s;"
            + " use a larger reg_param or a smaller rank",
        k, apparentRank, apparentRank, k, lambda));
    this.k = k;
    this.apparentRank = apparentRank;
    this.lambda = lambda;
  }

  /** The dimension of the system. */
  public int k() {
    return k;
  }

  /** The number of usable pivots (numerical rank), always less than {@link #k()}. */
  public int apparentRank() {
    return apparentRank;
  }

  /** The diagonal regularisation that was added before factoring. */
  public double lambda() {
    return lambda;
  }
}
