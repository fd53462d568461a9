package io.blockals.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gate's arithmetic on hand-picked numbers. */
class QualityGateTest {

  @Test
  void minImprovementNeedsTheNewRmseAtLeastThatFractionLower() {
    QualityGate g = new QualityGate(0.10, null);
    // previous 1.0, min_improvement 0.10: threshold 1.0 * (1 - 0.10) = 0.9.
    assertThat(g.decide(0.89, 1.0, "r1", true).publish()).isTrue();
    assertThat(g.decide(0.90, 1.0, "r1", true).publish()).isTrue();
    assertThat(g.decide(0.91, 1.0, "r1", true).publish()).isFalse();
    assertThat(g.decide(0.91, 1.0, "r1", true).reason()).contains("run r1").contains("0.900000");
  }

  @Test
  void maxRegressionAllowsThatFractionWorse() {
    QualityGate g = new QualityGate(null, 0.05);
    // previous 0.8, max_regression 0.05: threshold 0.8 * 1.05 = 0.84.
    assertThat(g.decide(0.83, 0.8, "r", true).publish()).isTrue();
    assertThat(g.decide(0.85, 0.8, "r", true).publish()).isFalse();
    assertThat(g.decide(0.85, 0.8, "r", true).record()).containsEntry("decision", "refused");
  }

  @Test
  void nothingToCompareWithPublishes() {
    QualityGate g = new QualityGate(0.0, null);
    assertThat(g.decide(5.0, null, null, false).publish()).isTrue();
    assertThat(g.decide(5.0, null, "old", true).publish()).isTrue();
    assertThat(g.decide(5.0, null, "old", true).record().get("decision").toString()).contains("no validation_rmse");
  }

  @Test
  void aRunThatCannotBeJudgedIsRefused() {
    assertThat(new QualityGate(0.0, null).decide(Double.NaN, 1.0, "r", true).publish()).isFalse();
  }
}
