package io.blockals.engine;

import java.io.Serializable;

/**
 * Held-out (user, item, rating) pairs on their way through the validation set-up: first to the user's block, then,
 * with the user resolved to {@code srcBlock} and a {@code slot} in that block's validation message (-1 for a user the
 * training data does not have), to the item's block.
 */
final class ValidationBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  final int srcBlock;
  final int[] slot;
  final String[] users;
  final String[] items;
  final double[] ratings;

  ValidationBatch(int srcBlock, int[] slot, String[] users, String[] items, double[] ratings) {
    this.srcBlock = srcBlock;
    this.slot = slot;
    this.users = users;
    this.items = items;
    this.ratings = ratings;
  }

  int size() {
    return ratings.length;
  }
}
