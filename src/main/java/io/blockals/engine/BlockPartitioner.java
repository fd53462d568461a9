package io.blockals.engine;

import org.apache.spark.Partitioner;

/** Partition {@code b} holds block {@code b}: keys are block numbers already. */
final class BlockPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int numBlocks;

  BlockPartitioner(int numBlocks) {
    this.numBlocks = numBlocks;
  }

  @Override
  public int numPartitions() {
    return numBlocks;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockPartitioner p && p.numBlocks == numBlocks;
  }

  @Override
  public int hashCode() {
    return 31 * numBlocks + 7;
  }
}
