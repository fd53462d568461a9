package io.blockals.engine;

import java.io.Serializable;

/**
 * The factors of one block after a half-iteration: row {@code r} (the block's local index) is
 * {@code values[r*dim .. r*dim+dim)}, the rank features followed by the bias when biases are on. One flat array per
 * block, not one small array per row: fewer objects to serialize and better locality when gathering.
 *
 * <p>It also carries this half-iteration's share of the training objective, computed in the same stage as the solve
 * so logging the loss costs no extra Spark job.
 */
public final class FactorBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final int block;
  final int dim;
  final float[] values;
  /** Sum of squared residuals over this block's ratings (implicit: the weighted loss part), after this solve. */
  final double residualSq;
  /** reg_param * n_x * |x|^2 summed over this block's rows. */
  final double regTerm;
  /** The other side's reg term, forwarded in messages so an iteration's last half alone reports the objective. */
  final double otherRegTerm;

  FactorBlock(int block, int dim, float[] values, double residualSq, double regTerm, double otherRegTerm) {
    this.block = block;
    this.dim = dim;
    this.values = values;
    this.residualSq = residualSq;
    this.regTerm = regTerm;
    this.otherRegTerm = otherRegTerm;
  }

  public int numRows() {
    return values.length / dim;
  }
}
