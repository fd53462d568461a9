package io.blockals.engine;

import java.io.Serializable;

/**
 * Factor rows one block sends to one block of the other side: the rows listed in its out-block for that destination,
 * in that order. Every block sends a message to every block of the other side, empty if need be, because the
 * message also carries the sender's share of YᵀY (implicit feedback) and of the regularisation term, so that no
 * result has to travel through the driver.
 */
final class FactorMessage implements Serializable {
  private static final long serialVersionUID = 1L;

  final int srcBlock;
  final float[] rows;
  /** Packed upper triangle of the sender's YᵀY share (implicit only), else null. */
  final double[] yty;
  /** The sender's regularisation term; non-zero only in the message to block 0, so it is counted once. */
  final double regTerm;

  FactorMessage(int srcBlock, float[] rows, double[] yty, double regTerm) {
    this.srcBlock = srcBlock;
    this.rows = rows;
    this.yty = yty;
    this.regTerm = regTerm;
  }
}
