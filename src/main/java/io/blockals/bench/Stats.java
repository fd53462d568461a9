package io.blockals.bench;

import java.util.Arrays;

/** The few statistics the benchmark reports; NaN stands for "not measured" throughout. */
public final class Stats {
  private Stats() {}

  /**
   * The median of the finite values (the mean of the middle two for an even count); NaN when there are none. The
   * median rather than the mean, because one round slowed by a neighbour's job on a shared machine should not move it.
   */
  public static double median(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    int n = finite.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2.0;
  }

  /** {@code a / b}, or NaN when either is missing or {@code b} is not positive. */
  public static double ratio(double a, double b) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || b <= 0) {
      return Double.NaN;
    }
    return a / b;
  }

  /** The smallest finite value, NaN when there is none (the "best setting" of MLlib is its fastest). */
  public static double minFinite(double... values) {
    double best = Double.NaN;
    for (double v : values) {
      if (Double.isFinite(v) && !(v >= best)) {
        best = v;
      }
    }
    return best;
  }
}
