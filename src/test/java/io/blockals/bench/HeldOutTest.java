package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeldOutTest {
  // Two users, two items, rank 2: U = [[1, 0], [0.5, 2]], V = [[2, 1], [0, 1]], mu = 3, bu = [0.5, -1], bi = [0, 0.25]
  private static final float[] U = {1f, 0f, 0.5f, 2f};
  private static final float[] V = {2f, 1f, 0f, 1f};
  private static final float[] BU = {0.5f, -1f};
  private static final float[] BI = {0f, 0.25f};

  @Test
  void rmseUsesTheContractScoreFormula() {
    // Predictions: (0,0) = 3 + 0.5 + 0 + 2 = 5.5; (1,1) = 3 - 1 + 0.25 + 2 = 4.25; (1,0) = 3 - 1 + 0 + (1 + 2) = 5.
    // Errors against ratings 5, 4.25, 6: -0.5, 0, 1  ->  sqrt((0.25 + 0 + 1) / 3) = sqrt(5/12) = 0.6454972243679028
    HeldOut.Result r = HeldOut.rmse(new int[] {0, 1, 1}, new int[] {0, 1, 0}, new float[] {5f, 4.25f, 6f}, 3.0, U,
        BU, null, V, BI, null, 2);
    assertThat(r.rmse()).isCloseTo(0.6454972243679028, within(1e-12));
    assertThat(r.scored()).isEqualTo(3);
    assertThat(r.cold()).isZero();
  }

  @Test
  void withoutBiasesThePredictionIsMuPlusTheDotProduct() {
    // (0,1) = 1 + (0 + 0) = 1 against 2: error 1.
    HeldOut.Result r = HeldOut.rmse(new int[] {0}, new int[] {1}, new float[] {2f}, 1.0, U, null, null, V, null,
        null, 2);
    assertThat(r.rmse()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void pairsWithoutFactorsAreCountedColdAndSkipped() {
    boolean[] usersKnown = {true, false};
    HeldOut.Result r = HeldOut.rmse(new int[] {0, 1}, new int[] {0, 0}, new float[] {5.5f, 100f}, 3.0, U, BU,
        usersKnown, V, BI, null, 2);
    assertThat(r.rmse()).isCloseTo(0.0, within(1e-12));
    assertThat(r.scored()).isEqualTo(1);
    assertThat(r.cold()).isEqualTo(1);
  }

  @Test
  void noScoredPairsGiveNaN() {
    HeldOut.Result r = HeldOut.rmse(new int[0], new int[0], new float[0], 0.0, U, null, null, V, null, null, 2);
    assertThat(r.rmse()).isNaN();
  }
}
