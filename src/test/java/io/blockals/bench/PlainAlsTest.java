package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import org.junit.jupiter.api.Test;

class PlainAlsTest {
  @Test
  void choleskySolvesAHandCheckedSystem() {
    // [[4, 2], [2, 3]] x = [2, 1]  ->  x = [0.5, 0] (4 * 0.5 + 2 * 0 = 2, 2 * 0.5 + 3 * 0 = 1). Lower triangle only.
    double[] a = {4, 0, 2, 3};
    double[] b = {2, 1};
    PlainAls.choleskySolve(a, b, 2);
    assertThat(b[0]).isCloseTo(0.5, within(1e-12));
    assertThat(b[1]).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void recoversPlantedFactorsDownToNearTheNoiseFloor() {
    // Dense planted rank-3 data without biases: a correct ALS gets close to the noise floor of 0.1 on held-out pairs.
    GeneratorSpec spec = GeneratorSpec.denseUniform(200, 150, 0.3, 3, 0.1, 7L).withTestFraction(0.1);
    PlantedData d = SyntheticGenerator.generate(spec.withBiases(false));
    PlainAls.Model m = PlainAls.fit(d.numUsers(), d.numItems(), d.trainUser(), d.trainItem(), d.trainRating(), 3, 15,
        0.01, 1L);
    double rmse = HeldOut.rmse(d.testUser(), d.testItem(), d.testRating(), m.mean(), m.userFactors(), null, null,
        m.itemFactors(), null, null, 3).rmse();
    assertThat(rmse).isBetween(0.09, 0.13);
  }
}
