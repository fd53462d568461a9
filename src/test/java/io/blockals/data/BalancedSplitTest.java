package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link TextSource#balancedSplitSize}: the split size that gives every core an equal share in each wave. */
class BalancedSplitTest {
  private static final long MB = 1L << 20;

  private static long size(long[] lengths, long block, int parallelism) {
    long[] blocks = new long[lengths.length];
    java.util.Arrays.fill(blocks, block);
    return TextSource.balancedSplitSize(lengths, blocks, parallelism);
  }

  @Test
  void fourBlockSplitsOnTwoCoresBecomeFourEqualOnes() {
    // 108,793,095 bytes in 32 MB blocks: Hadoop gives 32 + 32 + 32 + 12.75 MB, two waves on two cores
    long len = 108_793_095L;
    long s = size(new long[] {len}, 32 * MB, 2);
    assertThat(s).isEqualTo((len + 3) / 4);
    assertThat(s * 4).isGreaterThanOrEqualTo(len);
    assertThat(s * 3).isLessThan(len);
  }

  @Test
  void oneBlockOnTwoCoresIsCutInTwo() {
    assertThat(size(new long[] {20 * MB}, 32 * MB, 2)).isEqualTo(10 * MB);
    // 36 MB: 32 + 4 MB by blocks, 18 + 18 balanced
    assertThat(size(new long[] {36 * MB}, 32 * MB, 2)).isEqualTo(18 * MB);
  }

  @Test
  void theWavesAreThoseOfBlockSplits() {
    // 5 block splits on 2 cores are 3 waves: 6 equal splits
    assertThat(size(new long[] {5 * 32 * MB}, 32 * MB, 2)).isEqualTo(5 * 32 * MB / 6 + 1);
    // several files count their own blocks: 2 + 1 + 1 = 4 splits on 4 cores is one wave of 4
    assertThat(size(new long[] {64 * MB, 20 * MB, 12 * MB}, 32 * MB, 4)).isEqualTo(96 * MB / 4);
  }

  @Test
  void manyWavesTinyInputsAndEmptyInputsKeepHadoopsSplits() {
    // 8 block splits on 2 cores are 4 waves
    assertThat(size(new long[] {8 * 32 * MB}, 32 * MB, 2)).isZero();
    assertThat(size(new long[] {6 * 32 * MB}, 32 * MB, 2)).isPositive();
    // halves smaller than the minimum split
    assertThat(size(new long[] {TextSource.BALANCED_MIN_SPLIT * 2 - 2}, 32 * MB, 2)).isZero();
    assertThat(size(new long[] {0}, 32 * MB, 2)).isZero();
    assertThat(size(new long[] {}, 32 * MB, 2)).isZero();
  }
}
