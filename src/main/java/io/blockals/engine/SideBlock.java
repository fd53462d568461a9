package io.blockals.engine;

import java.io.Serializable;

/**
 * Everything one block of one side (users or items) keeps from set-up on: its ids, its in-block and its out-block.
 *
 * <p>In-block: the block's ratings in CSR form over its local rows; rating {@code j} of row {@code r} (for
 * {@code rowPtr[r] <= j < rowPtr[r+1]}) points at row {@code pos[j]} of the <em>gathered</em> array, which
 * concatenates the factor rows received from each block of the other side: rows from other-side block {@code s} sit
 * at {@code srcOffset[s] .. srcOffset[s+1]}, in the order of that block's local indices.
 *
 * <p>Out-block: {@code outLocal[d]} lists, sorted, the local rows of this block that other-side block {@code d} has
 * ratings for, so each factor row goes only where it is used.
 */
public final class SideBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final int block;
  /** External ids, sorted ({@link String#compareTo}); the position is the local index. */
  final String[] ids;
  final int[] srcOffset;
  final int[] rowPtr;
  final int[] pos;
  final float[] value;
  final int[][] outLocal;
  /**
   * On the user side only: the external id of each gathered row (the item ids, in gathered order), which set-up
   * needs to send the ratings on to the item blocks; null on the item side.
   */
  final String[] gatheredIds;

  SideBlock(int block, String[] ids, int[] srcOffset, int[] rowPtr, int[] pos, float[] value, int[][] outLocal,
      String[] gatheredIds) {
    this.block = block;
    this.ids = ids;
    this.srcOffset = srcOffset;
    this.rowPtr = rowPtr;
    this.pos = pos;
    this.value = value;
    this.outLocal = outLocal;
    this.gatheredIds = gatheredIds;
  }

  public int block() {
    return block;
  }

  /** Number of local rows (distinct ids) in this block. */
  public int numRows() {
    return ids.length;
  }

  public int numRatings() {
    return value.length;
  }

  /** Number of rows gathered from the other side for one half-iteration. */
  public int numGathered() {
    return srcOffset[srcOffset.length - 1];
  }

  public String id(int local) {
    return ids[local];
  }

  /** True when every id of this block parses as a Java long (and prints back the same). */
  public boolean idsAllLong() {
    for (String id : ids) {
      if (!isCanonicalLong(id)) {
        return false;
      }
    }
    return true;
  }

  /** A string is kept as a long id only if it round-trips exactly, so "007" stays a string. */
  static boolean isCanonicalLong(String s) {
    try {
      return Long.toString(Long.parseLong(s)).equals(s);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public double ratingSum() {
    double sum = 0;
    for (float v : value) {
      sum += v;
    }
    return sum;
  }
}
