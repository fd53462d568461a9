package io.blockals.generate;

/**
 * The generator's only source of randomness: SplitMix64 with a hand-written Gaussian, so a seed gives the same
 * numbers on every JDK (java.util's generators and {@code RandomGenerator.nextGaussian} are free to change their
 * algorithms between releases, which would silently change the shipped sample files).
 *
 * <p>Independent streams are derived with {@link #derive(long, long, long)} from (seed, purpose, index), so each
 * user's items, split and values come from its own stream and do not depend on the order of work.
 */
final class SplitMix64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;
  private double spareGaussian;
  private boolean hasSpare;

  SplitMix64(long seed) {
    this.state = seed;
  }

  /** A seed for stream {@code index} of {@code purpose}, decorrelated from every other (purpose, index). */
  static long derive(long seed, long purpose, long index) {
    return mix64(mix64(seed ^ mix64(purpose * GOLDEN + 0x632BE59BD9B4E019L)) + index * 0xD1B54A32D192ED03L);
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix64(state);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound) by multiply-shift; the bias (at most bound / 2^32) is far below anything measurable here. */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Standard normal by Marsaglia's polar method. */
  double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * nextDouble() - 1;
      v2 = 2 * nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double scale = Math.sqrt(-2 * StrictMath.log(s) / s);
    spareGaussian = v2 * scale;
    hasSpare = true;
    return v1 * scale;
  }

  /** Exponential with mean 1. */
  double nextExponential() {
    return -StrictMath.log(1.0 - nextDouble());
  }

  /**
   * Poisson with mean {@code lambda}: exact by multiplication below 30, a rounded normal above (where the
   * approximation error no longer matters for play counts).
   */
  int nextPoisson(double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    if (lambda < 30) {
      double limit = StrictMath.exp(-lambda);
      double product = nextDouble();
      int k = 0;
      while (product > limit) {
        k++;
        product *= nextDouble();
      }
      return k;
    }
    long v = Math.round(lambda + Math.sqrt(lambda) * nextGaussian());
    return (int) Math.max(0, Math.min(v, Integer.MAX_VALUE));
  }
}
