package io.blockals.generate;

/**
 * Walker/Vose alias table: O(1) draws from a fixed discrete distribution, so sampling millions of items from a
 * Zipf popularity costs the same as uniform sampling.
 */
final class AliasTable {
  private final double[] prob;
  private final int[] alias;

  /** @param weights non-negative, at least one positive */
  AliasTable(double[] weights) {
    int n = weights.length;
    prob = new double[n];
    alias = new int[n];
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smallTop = 0;
    int largeTop = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / total;
      if (scaled[i] < 1.0) {
        small[smallTop++] = i;
      } else {
        large[largeTop++] = i;
      }
    }
    while (smallTop > 0 && largeTop > 0) {
      int s = small[--smallTop];
      int l = large[--largeTop];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        small[smallTop++] = l;
      } else {
        large[largeTop++] = l;
      }
    }
    // Whatever is left is 1 up to rounding.
    while (largeTop > 0) {
      int l = large[--largeTop];
      prob[l] = 1.0;
      alias[l] = l;
    }
    while (smallTop > 0) {
      int s = small[--smallTop];
      prob[s] = 1.0;
      alias[s] = s;
    }
  }

  int size() {
    return prob.length;
  }

  int sample(SplitMix64 rng) {
    int k = rng.nextInt(prob.length);
    return rng.nextDouble() < prob[k] ? k : alias[k];
  }
}
