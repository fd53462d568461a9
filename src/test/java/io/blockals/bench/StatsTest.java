package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddCountIsTheMiddleValue() {
    assertThat(Stats.median(new double[] {9.0, 1.0, 5.0})).isEqualTo(5.0);
  }

  @Test
  void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(new double[] {4.0, 1.0, 3.0, 10.0})).isEqualTo(3.5);
  }

  @Test
  void medianIgnoresRoundsThatDidNotRun() {
    assertThat(Stats.median(new double[] {Double.NaN, 2.0, Double.NaN})).isEqualTo(2.0);
    assertThat(Stats.median(new double[] {Double.NaN})).isNaN();
    assertThat(Stats.median(new double[0])).isNaN();
  }

  @Test
  void medianIsNotMovedByOneSlowRound() {
    assertThat(Stats.median(new double[] {10.0, 10.2, 95.0})).isEqualTo(10.2);
  }

  @Test
  void ratioIsNaNWhenEitherSideIsMissingOrTheDenominatorIsNotPositive() {
    assertThat(Stats.ratio(3.0, 12.0)).isEqualTo(0.25);
    assertThat(Stats.ratio(Double.NaN, 1.0)).isNaN();
    assertThat(Stats.ratio(1.0, Double.NaN)).isNaN();
    assertThat(Stats.ratio(1.0, 0.0)).isNaN();
  }

  @Test
  void minFiniteSkipsNaN() {
    assertThat(Stats.minFinite(Double.NaN, 7.0, 3.0)).isEqualTo(3.0);
    assertThat(Stats.minFinite(Double.NaN, Double.NaN)).isNaN();
  }
}
