package io.blockals.engine;

import java.io.Serializable;

/**
 * The de-duplicated ratings of one user block that belong to one item block (second set-up shuffle). Item ids are
 * sent once per batch in {@code itemTable} and referenced by index.
 */
final class ItemBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  final int userBlock;
  final int[] userLocal;
  final String[] itemTable;
  final int[] itemIndex;
  final float[] rating;

  ItemBatch(int userBlock, int[] userLocal, String[] itemTable, int[] itemIndex, float[] rating) {
    this.userBlock = userBlock;
    this.userLocal = userLocal;
    this.itemTable = itemTable;
    this.itemIndex = itemIndex;
    this.rating = rating;
  }
}
