package io.blockals.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.Approx;
import org.junit.jupiter.api.Test;

class RandomnessTest {
  @Test
  void splitMix64MatchesTheReferenceSequence() {
    // First outputs of Vigna's reference splitmix64.c started from state 0.
    SplitMix64 rng = new SplitMix64(0L);
    assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(rng.nextLong()).isEqualTo(0x06C45D188009454FL);
  }

  @Test
  void gaussianHasMeanZeroAndUnitVariance() {
    SplitMix64 rng = new SplitMix64(123L);
    int n = 200_000;
    double sum = 0;
    double sumSquares = 0;
    for (int k = 0; k < n; k++) {
      double z = rng.nextGaussian();
      sum += z;
      sumSquares += z * z;
    }
    Approx.assertClose(sum / n, 0.0, 4 / Math.sqrt(n), "mean");
    // var(z^2) = 2 for a standard normal.
    Approx.assertClose(sumSquares / n, 1.0, 4 * Math.sqrt(2.0 / n), "second moment");
  }

  @Test
  void poissonHasItsMeanOnBothSidesOfTheApproximationSwitch() {
    SplitMix64 rng = new SplitMix64(5L);
    for (double lambda : new double[] {0.5, 4.0, 29.0, 80.0}) {
      int n = 50_000;
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += rng.nextPoisson(lambda);
      }
      Approx.assertClose(sum / n, lambda, 4 * Math.sqrt(lambda / n), "Poisson mean for lambda " + lambda);
    }
  }

  @Test
  void aliasTableDrawsInProportionToTheWeights() {
    double[] weights = {1, 2, 3, 4, 0};
    AliasTable table = new AliasTable(weights);
    SplitMix64 rng = new SplitMix64(9L);
    int n = 100_000;
    int[] counts = new int[weights.length];
    for (int k = 0; k < n; k++) {
      counts[table.sample(rng)]++;
    }
    for (int i = 0; i < weights.length; i++) {
      double p = weights[i] / 10.0;
      Approx.assertClose(counts[i] / (double) n, p, 4 * Math.sqrt(p * (1 - p) / n) + 1e-12, "share of " + i);
    }
    assertThat(counts[4]).isZero();
  }
}
