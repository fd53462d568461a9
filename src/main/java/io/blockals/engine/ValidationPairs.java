package io.blockals.engine;

import java.io.Serializable;

/**
 * The held-out pairs of one item block, resolved once at set-up: pair {@code j} is item row {@code itemLocal[j]} of
 * this block (-1: an item training does not have) and user {@code slot[j]} of the validation message from user block
 * {@code srcBlock[j]} (-1: a user training does not have). Sorted by (item id, user id), so the sum of squared errors
 * is the same on every run.
 */
final class ValidationPairs implements Serializable {
  private static final long serialVersionUID = 1L;

  final int block;
  final int[] itemLocal;
  final int[] srcBlock;
  final int[] slot;
  final double[] rating;

  ValidationPairs(int block, int[] itemLocal, int[] srcBlock, int[] slot, double[] rating) {
    this.block = block;
    this.itemLocal = itemLocal;
    this.srcBlock = srcBlock;
    this.slot = slot;
    this.rating = rating;
  }

  int size() {
    return rating.length;
  }
}
