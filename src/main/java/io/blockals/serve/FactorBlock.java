package io.blockals.serve;

import java.io.Serializable;

/**
 * A block of rows of one factor table, packed row after row: row {@code r}'s features are
 * {@code features[r * rank .. (r + 1) * rank)}. {@code keys} are the rows' ids as the job writes them back;
 * {@code positions} the rows' item positions (items only); {@code bias} the rows' biases (for the cosine blocks:
 * the rows' norms before normalising, 0 marking a zero vector); {@code seen}, for user blocks, each row's sorted seen
 * item positions (null when nothing is excluded). A plain class rather than a record so Kryo can build it.
 */
public final class FactorBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Object[] keys;
  private final int[] positions;
  private final float[] bias;
  private final float[] features;
  private final int rank;
  private final int[][] seen;

  public FactorBlock(Object[] keys, int[] positions, float[] bias, float[] features, int rank, int[][] seen) {
    this.keys = keys;
    this.positions = positions;
    this.bias = bias;
    this.features = features;
    this.rank = rank;
    this.seen = seen;
  }

  public Object[] keys() {
    return keys;
  }

  public int[] positions() {
    return positions;
  }

  public float[] bias() {
    return bias;
  }

  public float[] features() {
    return features;
  }

  public int rank() {
    return rank;
  }

  public int[][] seen() {
    return seen;
  }

  public int rows() {
    return bias.length;
  }
}
