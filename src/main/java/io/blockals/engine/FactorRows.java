package io.blockals.engine;

import java.io.Serializable;

/**
 * One block of a trained side as its rows will be published: row {@code r} has the id {@link #id(int)}, the rank
 * features {@code values[r * dim .. r * dim + rank)} and, with biases, the bias at {@code r * dim + rank}. A view of
 * the cached block and its factors on the executor that holds them, nothing copied.
 */
public final class FactorRows {
  private final SideBlock block;
  private final FactorBlock factors;
  private final int rank;
  private final boolean biases;

  FactorRows(SideBlock block, FactorBlock factors, int rank, boolean biases) {
    if (block.block != factors.block || block.numRows() != factors.numRows()) {
      throw new IllegalStateException("factors of block " + factors.block + " (" + factors.numRows()
          + " rows) zipped with block " + block.block + " (" + block.numRows() + " rows)");
    }
    this.block = block;
    this.factors = factors;
    this.rank = rank;
    this.biases = biases;
  }

  /** The block's index on its side. */
  public int block() {
    return block.block;
  }

  public int rows() {
    return block.numRows();
  }

  public String id(int r) {
    return block.id(r);
  }

  public int rank() {
    return rank;
  }

  /** Feature {@code k} of row {@code r}. */
  public float feature(int r, int k) {
    return factors.values[r * factors.dim + k];
  }

  /** Row {@code r}'s bias, 0 when the model has none. */
  public float bias(int r) {
    return biases ? factors.values[r * factors.dim + rank] : 0f;
  }

  /**
   * Runs on the executors, once per block of a side; whatever it returns is brought back to the driver.
   *
   * @param <T> a small result per block (a count, a file name)
   */
  @FunctionalInterface
  public interface Visitor<T extends Serializable> extends Serializable {
    /**
     * @param users true for a user block, false for an item block
     * @param rows the block's rows
     */
    T visit(boolean users, FactorRows rows) throws Exception;
  }
}
