package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stopping rule on hand-made loss and validation sequences. */
class EarlyStoppingTest {
  private static IterationStats it(int i, double loss, double validation) {
    return new IterationStats(i, loss, Double.NaN, 0.0, validation);
  }

  @Test
  void offItNeverStopsAndKeepsTheLast() {
    EarlyStopping s = new EarlyStopping(0.0, 0);
    double[] losses = {10, 10, 10, 11};
    for (int i = 0; i < losses.length; i++) {
      assertThat(s.observe(it(i + 1, losses[i], Double.NaN))).isNull();
    }
    assertThat(s.chosenIteration()).isEqualTo(4);
    assertThat(s.keepsBest()).isFalse();
  }

  @Test
  void toleranceStopsAtTheFirstSmallRelativeDecrease() {
    // Decreases: 50%, 10%, 1% (below 2%): stop at iteration 4, which the model holds.
    EarlyStopping s = new EarlyStopping(0.02, 0);
    assertThat(s.observe(it(1, 200, Double.NaN))).isNull();
    assertThat(s.observe(it(2, 100, Double.NaN))).isNull();
    assertThat(s.observe(it(3, 90, Double.NaN))).isNull();
    assertThat(s.observe(it(4, 89.1, Double.NaN))).isEqualTo(StopReason.TOLERANCE);
    assertThat(s.chosenIteration()).isEqualTo(4);
  }

  @Test
  void aRisingLossIsBelowAnyTolerance() {
    EarlyStopping s = new EarlyStopping(1e-9, 0);
    assertThat(s.observe(it(1, 5, Double.NaN))).isNull();
    assertThat(s.observe(it(2, 5.5, Double.NaN))).isEqualTo(StopReason.TOLERANCE);
  }

  @Test
  void patienceStopsAfterThatManyIterationsWithoutABetterValidationRmseAndKeepsTheBest() {
    // Validation: 1.0, 0.8, 0.7, 0.72, 0.7 (equal is not better), 0.69 would come too late with patience 2.
    EarlyStopping s = new EarlyStopping(0.0, 2);
    double[] v = {1.0, 0.8, 0.7, 0.72, 0.7};
    for (int i = 0; i < 4; i++) {
      assertThat(s.observe(it(i + 1, 10 - i, v[i]))).isNull();
    }
    assertThat(s.observe(it(5, 6, v[4]))).isEqualTo(StopReason.VALIDATION);
    assertThat(s.chosenIteration()).isEqualTo(3);
    assertThat(s.keepsBest()).isTrue();
  }

  @Test
  void withoutValidationFiguresPatienceNeverStopsAndKeepsTheLast() {
    EarlyStopping s = new EarlyStopping(0.0, 1);
    assertThat(s.observe(it(1, 3, Double.NaN))).isNull();
    assertThat(s.observe(it(2, 2, Double.NaN))).isNull();
    assertThat(s.observe(it(3, 1, Double.NaN))).isNull();
    assertThat(s.chosenIteration()).isEqualTo(3);
  }
}
