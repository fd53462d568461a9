package io.blockals.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.Approx;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
  /** Small but not tiny: 600 users x 300 items, 12000 ratings, 10% test. */
  private static final GeneratorSpec SMALL = GeneratorSpec.defaults().withSize(600, 300, 12_000);

  @Test
  void sameSeedGivesIdenticalArrays() {
    PlantedData a = SyntheticGenerator.generate(SMALL);
    PlantedData b = SyntheticGenerator.generate(SMALL);
    assertThat(b.trainUser()).isEqualTo(a.trainUser());
    assertThat(b.trainItem()).isEqualTo(a.trainItem());
    assertThat(b.trainRating()).isEqualTo(a.trainRating());
    assertThat(b.trainTimestamp()).isEqualTo(a.trainTimestamp());
    assertThat(b.testUser()).isEqualTo(a.testUser());
    assertThat(b.testItem()).isEqualTo(a.testItem());
    assertThat(b.testRating()).isEqualTo(a.testRating());
    assertThat(b.testTimestamp()).isEqualTo(a.testTimestamp());
    assertThat(b.userFactors()).isEqualTo(a.userFactors());
    assertThat(b.itemFactors()).isEqualTo(a.itemFactors());
    assertThat(b.userBias()).isEqualTo(a.userBias());
    assertThat(b.itemBias()).isEqualTo(a.itemBias());
    for (int u = 0; u < SMALL.users(); u += 37) {
      assertThat(b.userId(u)).isEqualTo(a.userId(u));
    }
  }

  @Test
  void differentSeedGivesDifferentData() {
    PlantedData a = SyntheticGenerator.generate(SMALL);
    PlantedData b = SyntheticGenerator.generate(SMALL.withSeed(SMALL.seed() + 1));
    assertThat(b.userFactors()).isNotEqualTo(a.userFactors());
    assertThat(b.trainItem()).isNotEqualTo(a.trainItem());
    assertThat(b.trainRating()).isNotEqualTo(a.trainRating());
    assertThat(b.userId(0)).isNotEqualTo(a.userId(0));
  }

  @Test
  void exactCountsAndUniquePairs() {
    PlantedData d = SyntheticGenerator.generate(SMALL);
    assertThat((long) d.numTrain() + d.numTest()).isEqualTo(SMALL.ratings());
    assertThat(d.trainItem()).hasSize(d.numTrain());
    assertThat(d.trainRating()).hasSize(d.numTrain());
    assertThat(d.trainTimestamp()).hasSize(d.numTrain());
    assertThat(d.testItem()).hasSize(d.numTest());
    // minPerUser >= 1 and minPerItem >= 1: every index occurs.
    assertThat(distinct(concat(d.trainUser(), d.testUser()))).isEqualTo(SMALL.users());
    assertThat(distinct(concat(d.trainItem(), d.testItem()))).isEqualTo(SMALL.items());
    assertThat(countDuplicatePairs(d)).isZero();
    assertThat(d.userFactors()).hasSize(SMALL.users() * SMALL.rank());
    assertThat(d.itemFactors()).hasSize(SMALL.items() * SMALL.rank());
  }

  @Test
  void testUsersAndItemsAlsoOccurInTrain() {
    PlantedData d = SyntheticGenerator.generate(SMALL.withItemZipf(1.5).withTestFraction(0.3));
    boolean[] trainUsers = new boolean[d.numUsers()];
    boolean[] trainItems = new boolean[d.numItems()];
    for (int r = 0; r < d.numTrain(); r++) {
      trainUsers[d.trainUser()[r]] = true;
      trainItems[d.trainItem()[r]] = true;
    }
    assertThat(d.numTest()).isPositive();
    for (int r = 0; r < d.numTest(); r++) {
      assertThat(trainUsers[d.testUser()[r]]).as("test user %d in train", d.testUser()[r]).isTrue();
      assertThat(trainItems[d.testItem()[r]]).as("test item %d in train", d.testItem()[r]).isTrue();
    }
  }

  @Test
  void testFractionIsRespectedPerUserWithinRounding() {
    double f = 0.2;
    PlantedData d = SyntheticGenerator.generate(SMALL.withTestFraction(f));
    int[] train = perIndexCounts(d.trainUser(), d.numUsers());
    int[] test = perIndexCounts(d.testUser(), d.numUsers());
    for (int u = 0; u < d.numUsers(); u++) {
      int n = train[u] + test[u];
      assertThat(test[u]).as("test ratings of user %d of %d", u, n)
          .isBetween((int) Math.min(Math.floor(f * n), n - 1), (int) Math.ceil(f * n));
    }
    Approx.assertClose((double) d.numTest() / SMALL.ratings(), f, 0.01, "overall test fraction");
  }

  @Test
  void noTestFractionMeansNoTestRows() {
    PlantedData d = SyntheticGenerator.generate(SMALL.withTestFraction(0));
    assertThat(d.numTest()).isZero();
    assertThat(d.numTrain()).isEqualTo((int) SMALL.ratings());
  }

  @Test
  void residualsHaveMeanZeroAndStandardDeviationSigma() {
    double sigma = 0.3;
    PlantedData d = SyntheticGenerator.generate(SMALL.withRatings(40_000).withNoise(sigma));
    double[] res = residuals(d, d.trainUser(), d.trainItem(), d.trainRating());
    int n = res.length;
    double mean = Arrays.stream(res).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(res).map(r -> (r - mean) * (r - mean)).sum() / (n - 1));
    // Standard errors of a normal sample: sigma / sqrt(n) for the mean, about sigma / sqrt(2n) for the sd.
    Approx.assertClose(mean, 0.0, 4 * sigma / Math.sqrt(n), "mean residual");
    Approx.assertClose(sd, sigma, 4 * sigma / Math.sqrt(2.0 * n), "residual sd");
    assertThat(d.noiseFloor()).isEqualTo(sigma);

    double[] testRes = residuals(d, d.testUser(), d.testItem(), d.testRating());
    double testRmse = Math.sqrt(Arrays.stream(testRes).map(r -> r * r).sum() / testRes.length);
    Approx.assertClose(testRmse, sigma, 4 * sigma / Math.sqrt(2.0 * testRes.length), "RMSE of the planted model");
  }

  @Test
  void starRatingsAreTheDrawnRatingRoundedAndClippedToTheScale() {
    PlantedData continuous = SyntheticGenerator.generate(SMALL.withNoise(0.6));
    PlantedData stars = SyntheticGenerator.generate(SMALL.withNoise(0.6).withStars(0.5));
    // The same draws, then rounded: 3.26 -> 3.5, 3.24 -> 3.0, 5.7 -> 5, -0.4 -> 0.5.
    assertThat(stars.trainItem()).isEqualTo(continuous.trainItem());
    float[] c = continuous.trainRating();
    float[] s = stars.trainRating();
    for (int r = 0; r < s.length; r++) {
      double expected = Math.min(5.0, Math.max(0.5, Math.rint(c[r] * 2.0) / 2.0));
      assertThat((double) s[r]).as("row %d, drawn %s", r, c[r]).isEqualTo(expected);
    }
    assertThat(SyntheticGenerator.stars(3.26, 0.5)).isEqualTo(3.5);
    assertThat(SyntheticGenerator.stars(3.24, 0.5)).isEqualTo(3.0);
    assertThat(SyntheticGenerator.stars(5.7, 0.5)).isEqualTo(5.0);
    assertThat(SyntheticGenerator.stars(-0.4, 0.5)).isEqualTo(0.5);
    assertThat(SyntheticGenerator.stars(0.4, 1)).isEqualTo(1.0);
    assertThat(SyntheticGenerator.stars(2.5001, 1)).isEqualTo(3.0);

    // The floor of star data: the planted score, clipped to [0.5, 5], against the test ratings.
    double sum = 0;
    for (int t = 0; t < stars.numTest(); t++) {
      double p = Math.min(5, Math.max(0.5, stars.plantedScore(stars.testUser()[t], stars.testItem()[t])));
      sum += (stars.testRating()[t] - p) * (stars.testRating()[t] - p);
    }
    assertThat(stars.noiseFloor()).isEqualTo(Math.sqrt(sum / stars.numTest()));
    // Rounding adds about step / sqrt(12) = 0.144 in quadrature to 0.6, clipping takes a little away.
    assertThat(stars.noiseFloor()).isBetween(0.55, 0.65);
  }

  @Test
  void realisticDataHasHeavyTailedActivity() {
    PlantedData d = SyntheticGenerator.generate(GeneratorSpec.realistic(3000, 1500, 60_000, 3));
    int[] perUser = new int[3000];
    int[] perItem = new int[1500];
    for (int r = 0; r < d.numTrain(); r++) {
      perUser[d.trainUser()[r]]++;
      perItem[d.trainItem()[r]]++;
    }
    for (int t = 0; t < d.numTest(); t++) {
      perUser[d.testUser()[t]]++;
      perItem[d.testItem()[t]]++;
    }
    Arrays.sort(perUser);
    Arrays.sort(perItem);
    double mean = 60_000 / 3000.0;
    // Most users rate few items: the median user is well below the mean of 20, the busiest far above it.
    assertThat(perUser[1500]).isLessThan((int) (mean / 2));
    assertThat(perUser[2999]).isGreaterThan((int) (10 * mean));
    assertThat(perUser[0]).isGreaterThanOrEqualTo(1);
    // The top 1% of items hold more than 10% of the ratings.
    long top = 0;
    for (int i = 1500 - 15; i < 1500; i++) {
      top += perItem[i];
    }
    assertThat(top).isGreaterThan(6_000);
  }

  @Test
  void withoutNoiseRatingsAreThePlantedScores() {
    PlantedData d = SyntheticGenerator.generate(SMALL.withNoise(0));
    double[] res = residuals(d, d.trainUser(), d.trainItem(), d.trainRating());
    // Only the rounding of a rating below ~10 to float remains: half an ulp is under 1e-6.
    for (int r = 0; r < res.length; r++) {
      assertThat(Math.abs(res[r])).as("residual of row %d", r).isLessThan(2e-6);
    }
  }

  @Test
  void noiseOnlyScalesTheNoise() {
    PlantedData low = SyntheticGenerator.generate(SMALL.withNoise(0.2));
    PlantedData high = SyntheticGenerator.generate(SMALL.withNoise(0.5));
    assertThat(high.trainItem()).isEqualTo(low.trainItem());
    assertThat(high.trainTimestamp()).isEqualTo(low.trainTimestamp());
    double[] a = residuals(low, low.trainUser(), low.trainItem(), low.trainRating());
    double[] b = residuals(high, high.trainUser(), high.trainItem(), high.trainRating());
    for (int r = 0; r < a.length; r += 97) {
      Approx.assertClose(b[r], 2.5 * a[r], 1e-5, "scaled residual " + r);
    }
  }

  @Test
  void biasesAndFactorsHaveThePlantedScale() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(1000, 1000, 5000).withRank(8).withMinPerUser(2);
    PlantedData d = SyntheticGenerator.generate(spec);
    assertThat(d.globalMean()).isEqualTo(3.5);
    Approx.assertClose(sd(d.userBias()), 0.5, 0.05, "user bias sd");
    Approx.assertClose(sd(d.itemBias()), 0.5, 0.05, "item bias sd");
    // Entries with sd rank^(-1/4) make p.q of variance rank * rank^-1 = 1 over random pairs.
    double sumSquares = 0;
    for (int u = 0; u < 1000; u++) {
      for (int i = 0; i < 1000; i++) {
        double dot = SyntheticGenerator.dot(d.userFactors(), u, d.itemFactors(), i, 8);
        sumSquares += dot * dot;
      }
    }
    Approx.assertClose(sumSquares / 1e6, 1.0, 0.15, "mean square of p.q");
    Approx.assertClose(sd(d.userFactors()), Math.pow(8, -0.25), 0.02, "factor entry sd");
  }

  @Test
  void withoutBiasesMeanAndBiasesAreZero() {
    PlantedData d = SyntheticGenerator.generate(SMALL.withBiases(false));
    assertThat(d.globalMean()).isZero();
    for (float b : d.userBias()) {
      assertThat(b).isZero();
    }
    for (float b : d.itemBias()) {
      assertThat(b).isZero();
    }
    double mean = 0;
    for (float r : d.trainRating()) {
      mean += r;
    }
    Approx.assertClose(mean / d.numTrain(), 0.0, 0.1, "mean rating without biases");
  }

  @Test
  void zipfOneMakesALongTailAndZipfZeroDoesNot() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(1000, 300, 30_000).withTestFraction(0);
    int[] skewed = perIndexCounts(SyntheticGenerator.generate(spec.withItemZipf(1.0)).trainItem(), 300);
    int[] flat = perIndexCounts(SyntheticGenerator.generate(spec.withItemZipf(0.0)).trainItem(), 300);
    // Zipf 1 over 300 items: the top item has weight 1/H(300) ~ 0.16, the median ~ 0.001: a ratio far above 5.
    assertThat(max(skewed)).isGreaterThan(5 * median(skewed));
    // Uniform: about 100 per item with a Poisson-like spread of 10, so the top stays well below 1.5 x median.
    assertThat(max(flat)).isLessThan((int) (1.5 * median(flat)));
  }

  @Test
  void minPerUserIsHonouredUnderStrongSkew() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(1000, 300, 30_000).withUserSkew(2.0).withMinPerUser(7);
    PlantedData d = SyntheticGenerator.generate(spec);
    int[] n = add(perIndexCounts(d.trainUser(), 1000), perIndexCounts(d.testUser(), 1000));
    assertThat(min(n)).isGreaterThanOrEqualTo(7);
    assertThat(max(n)).isLessThanOrEqualTo(300);
    assertThat(max(n)).isGreaterThan(3 * median(n));
  }

  @Test
  void zeroSkewGivesEveryUserTheSameCountWithinOne() {
    PlantedData d = SyntheticGenerator.generate(SMALL.withUserSkew(0).withRatings(12_345));
    int[] n = add(perIndexCounts(d.trainUser(), 600), perIndexCounts(d.testUser(), 600));
    // 12345 / 600 = 20.575
    assertThat(min(n)).isEqualTo(20);
    assertThat(max(n)).isEqualTo(21);
  }

  @Test
  void minPerItemIsHonouredUnderAHeavyTail() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(300, 500, 6000).withItemZipf(2.0).withMinPerItem(3);
    PlantedData d = SyntheticGenerator.generate(spec);
    int[] n = add(perIndexCounts(d.trainItem(), 500), perIndexCounts(d.testItem(), 500));
    assertThat(min(n)).isGreaterThanOrEqualTo(3);
    assertThat(countDuplicatePairs(d)).isZero();
  }

  @Test
  void denseUniformModeGivesAtLeastFiftyPerUserAndItem() {
    PlantedData d = SyntheticGenerator.generate(GeneratorSpec.denseUniform(400, 300, 0.4, 5, 0.1, 7L));
    assertThat(d.numTrain()).isEqualTo(48_000);
    assertThat(d.numTest()).isZero();
    assertThat(min(perIndexCounts(d.trainUser(), 400))).isGreaterThanOrEqualTo(50);
    assertThat(min(perIndexCounts(d.trainItem(), 300))).isGreaterThanOrEqualTo(50);
  }

  @Test
  void fullMatrixHasEveryPairOnce() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(60, 40, 2400).withItemZipf(1.0).withUserSkew(1.0);
    PlantedData d = SyntheticGenerator.generate(spec);
    assertThat(countDuplicatePairs(d)).isZero();
    assertThat(d.numTrain() + d.numTest()).isEqualTo(2400);
  }

  @Test
  void usersNearTheNumberOfItemsAreSampledWithoutRepeats() {
    // Skew 3 over 20 users pushes several to the cap of 100 items, where rejection sampling would stall.
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(20, 100, 1500).withItemZipf(1.5).withUserSkew(3.0)
        .withMinPerUser(1);
    PlantedData d = SyntheticGenerator.generate(spec);
    int[] n = add(perIndexCounts(d.trainUser(), 20), perIndexCounts(d.testUser(), 20));
    assertThat(max(n)).isEqualTo(100);
    assertThat(Arrays.stream(n).sum()).isEqualTo(1500);
    assertThat(countDuplicatePairs(d)).isZero();
  }

  @Test
  void timestampsIncreaseWithinEachUser() {
    PlantedData d = SyntheticGenerator.generate(SMALL);
    for (int r = 1; r < d.numTrain(); r++) {
      if (d.trainUser()[r] == d.trainUser()[r - 1]) {
        assertThat(d.trainTimestamp()[r]).isGreaterThan(d.trainTimestamp()[r - 1]);
      } else {
        assertThat(d.trainUser()[r]).isGreaterThan(d.trainUser()[r - 1]);
      }
    }
    long from = 1_420_070_400L; // 2015-01-01
    long to = 1_672_531_200L; // 2023-01-01
    assertThat(Arrays.stream(d.trainTimestamp()).min().orElseThrow()).isGreaterThanOrEqualTo(from);
    assertThat(Arrays.stream(d.trainTimestamp()).max().orElseThrow()).isLessThan(to);
    assertThat(Arrays.stream(d.testTimestamp()).min().orElseThrow()).isGreaterThanOrEqualTo(from);
    assertThat(Arrays.stream(d.testTimestamp()).max().orElseThrow()).isLessThan(to);
  }

  @Test
  void implicitCountsArePositiveIntegersDrivenByAffinity() {
    GeneratorSpec spec = GeneratorSpec.defaults().withSize(800, 400, 16_000).withImplicit(true).withNoise(0.2);
    PlantedData d = SyntheticGenerator.generate(spec);
    assertThat(d.noiseFloor()).isNaN();
    assertThat(d.globalMean()).isZero();
    double observed = 0;
    double[] logCount = new double[d.numTrain()];
    double[] score = new double[d.numTrain()];
    for (int r = 0; r < d.numTrain(); r++) {
      float v = d.trainRating()[r];
      assertThat(v).isGreaterThanOrEqualTo(1f).isEqualTo((float) Math.rint(v));
      score[r] = d.plantedScore(d.trainUser()[r], d.trainItem()[r]);
      logCount[r] = Math.log(v);
      observed += score[r];
    }
    double all = 0;
    for (int u = 0; u < 800; u++) {
      for (int i = 0; i < 400; i++) {
        all += d.plantedScore(u, i);
      }
    }
    // Items are kept with probability min(1, exp(x - 1)): observed pairs lean clearly to high affinity.
    assertThat(observed / d.numTrain() - all / (800 * 400)).isGreaterThan(0.3);
    // Counts are 1 + Poisson(2 exp(x + noise)): they rise with the affinity.
    assertThat(correlation(logCount, score)).isGreaterThan(0.4);
  }

  // ---- helpers ----

  static double[] residuals(PlantedData d, int[] users, int[] items, float[] ratings) {
    double[] res = new double[users.length];
    for (int r = 0; r < res.length; r++) {
      res[r] = ratings[r] - d.plantedScore(users[r], items[r]);
    }
    return res;
  }

  static long countDuplicatePairs(PlantedData d) {
    long[] pairs = new long[d.numTrain() + d.numTest()];
    int k = 0;
    for (int r = 0; r < d.numTrain(); r++) {
      pairs[k++] = (long) d.trainUser()[r] * d.numItems() + d.trainItem()[r];
    }
    for (int r = 0; r < d.numTest(); r++) {
      pairs[k++] = (long) d.testUser()[r] * d.numItems() + d.testItem()[r];
    }
    Arrays.sort(pairs);
    long duplicates = 0;
    for (int p = 1; p < pairs.length; p++) {
      if (pairs[p] == pairs[p - 1]) {
        duplicates++;
      }
    }
    return duplicates;
  }

  static int[] perIndexCounts(int[] indexes, int size) {
    int[] counts = new int[size];
    for (int i : indexes) {
      counts[i]++;
    }
    return counts;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] add(int[] a, int[] b) {
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static long distinct(int[] values) {
    return Arrays.stream(values).distinct().count();
  }

  private static int max(int[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static int min(int[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static int median(int[] values) {
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double sd(float[] values) {
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    double ss = 0;
    for (float v : values) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / (values.length - 1));
  }

  private static double correlation(double[] x, double[] y) {
    int n = x.length;
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
