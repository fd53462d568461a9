package io.blockals.engine;

import java.io.Serializable;

/**
 * One user block's validation out-block: {@code outLocal[d]} lists, sorted, the local rows of this block that have
 * held-out pairs with items of item block {@code d}; a user's slot in the message to {@code d} is its position there.
 */
final class ValidationUsers implements Serializable {
  private static final long serialVersionUID = 1L;

  final int block;
  final int[][] outLocal;

  ValidationUsers(int block, int[][] outLocal) {
    this.block = block;
    this.outLocal = outLocal;
  }
}
