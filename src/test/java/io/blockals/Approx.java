package io.blockals;

import static org.assertj.core.api.Assertions.fail;

/** The one floating-point assertion helper: absolute and relative tolerance, prints both values. */
public final class Approx {
  private Approx() {}

  /** Passes when |actual - expected| <= abs + rel * |expected|. */
  public static void assertClose(double actual, double expected, double abs, double rel, String what) {
    double diff = Math.abs(actual - expected);
    if (!(diff <= abs + rel * Math.abs(expected))) {
      fail("%s: expected %.9g but was %.9g (|diff| %.3g > abs %.1g + rel %.1g)", what, expected, actual, diff,
          abs, rel);
    }
  }

  public static void assertClose(double actual, double expected, double abs, String what) {
    assertClose(actual, expected, abs, 0.0, what);
  }

  public static void assertArrayClose(double[] actual, double[] expected, double abs, String what) {
    if (actual.length != expected.length) {
      fail("%s: length %d, expected %d", what, actual.length, expected.length);
    }
    for (int i = 0; i < actual.length; i++) {
      assertClose(actual[i], expected[i], abs, 0.0, what + "[" + i + "]");
    }
  }
}
