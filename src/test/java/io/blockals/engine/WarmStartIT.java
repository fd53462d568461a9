package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.model.ModelFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warm start on planted data (noise floor 0.3): a nightly run that starts from yesterday's model reaches in two
 * iterations what a cold run reaches in ten; ids new since then, kept and gone are counted and started right.
 */
class WarmStartIT extends SparkTestBase {
  private static final double SIGMA = 0.3;
  private static PlantedData planted;

  @BeforeAll
  static void generate() {
    // 180 x 120 at density 0.25: ~4,900 training ratings, ~27 per user and ~40 per item.
    planted = SyntheticGenerator.generate(GeneratorSpec.denseUniform(180, 120, 0.25, 3, SIGMA, 17L)
        .withTestFraction(0.1));
  }

  private static Dataset<Row> ratings(IntPredicate keep) {
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int j = 0; j < planted.numTrain(); j++) {
      if (keep.test(j)) {
        us.add(planted.userId(planted.trainUser()[j]));
        is.add(planted.itemId(planted.trainItem()[j]));
        vs.add((double) planted.trainRating()[j]);
      }
    }
    return EngineFixtures.ratings(spark, us, is, vs, 3);
  }

  /** The planted test set, scored inside every iteration (the history's validation RMSE is held-out RMSE). */
  private static JavaRDD<Row> testPairs() {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < planted.numTest(); j++) {
      rows.add(RowFactory.create(planted.userId(planted.testUser()[j]), planted.itemId(planted.testItem()[j]),
          (double) planted.testRating()[j]));
    }
    return jsc.parallelize(rows, 2);
  }

  private static WarmStart from(AlsResult r, String name) {
    return new WarmStart(name, name, ModelFormat.userFactors(spark, r), ModelFormat.itemFactors(spark, r),
        r.userIdsLong(), r.itemIdsLong());
  }

  private static AlsParams params(int iterations) {
    return EngineFixtures.params(3, iterations, 0.05, true, 2, 2);
  }

  private static double heldOut(AlsResult r, int iteration) {
    return r.history().get(iteration - 1).validationRmse();
  }

  @Test
  void yesterdaysModelPlusTodaysTenPercentReachesTheColdRunInTwoIterations() {
    // "Yesterday": 90% of the training ratings, by a fixed hash of the rating's position; "today": all of them.
    IntPredicate yesterday = j -> Math.floorMod(BlockHash.mix64(j * 31L + 7), 10) != 0;
    AlsResult old = BlockAls.fit(ratings(yesterday), params(10), null);
    AlsResult cold = BlockAls.fit(ratings(j -> true), params(10), null,
        new FitOptions(null, WarmStartIT::testPairs));
    AlsResult warm = BlockAls.fit(ratings(j -> true), params(2), null,
        new FitOptions(from(old, "yesterday"), WarmStartIT::testPairs));
    double coldRmse = heldOut(cold, 10);
    double warmRmse = heldOut(warm, 2);
    int coldToMatch = 1;
    while (coldToMatch < 10 && heldOut(cold, coldToMatch) > warmRmse * 1.01) {
      coldToMatch++;
    }
    System.out.printf("warm start: held-out RMSE cold %s, warm after 2 iterations %s; cold needs %d iterations to "
        + "come within 1%% of it; cold after 2: %s%n", coldRmse, warmRmse, coldToMatch, heldOut(cold, 2));
    // ~27 ratings per user for 4 parameters each: the estimation error adds about a fifth to the noise floor.
    assertThat(coldRmse).as("the cold run is near the noise floor").isBetween(SIGMA, SIGMA * 1.3);
    assertThat(warmRmse).as("warm 2 iterations vs cold 10").isLessThanOrEqualTo(coldRmse * 1.01);
    assertThat(heldOut(cold, 2)).as("cold 2 iterations are not there yet").isGreaterThan(coldRmse * 1.01);
    assertThat(warm.warmStart().users().kept()).isEqualTo(old.numUsers());
    assertThat(warm.warmStart().users().dropped()).isZero();
    old.unpersist();
    cold.unpersist();
    warm.unpersist();
  }

  @Test
  void keptIdsStartFromTheModelNewOnesFromTheirSeedsAndGoneOnesAreCounted() {
    // Yesterday without users 150.. and items 0..9; today without users ..29 and items 110..: known counts of each.
    IntPredicate yesterday = j -> planted.trainUser()[j] < 150 && planted.trainItem()[j] >= 10;
    IntPredicate today = j -> planted.trainUser()[j] >= 30 && planted.trainItem()[j] < 110;
    AlsResult old = BlockAls.fit(ratings(yesterday), params(4), null);
    // max_iter 0 publishes the start itself as the item factors.
    AlsResult warm = BlockAls.fit(ratings(today), params(0).withBlocks(3, 2), null,
        new FitOptions(from(old, "yesterday"), null));
    AlsResult cold = BlockAls.fit(ratings(today), params(0).withBlocks(3, 2), null);

    Set<String> oldUsers = ids(yesterday, true);
    Set<String> newUsers = ids(today, true);
    Set<String> oldItems = ids(yesterday, false);
    Set<String> newItems = ids(today, false);
    WarmStart.Report report = warm.warmStart();
    assertThat(report.users()).isEqualTo(counts(oldUsers, newUsers));
    assertThat(report.items()).isEqualTo(counts(oldItems, newItems));
    assertThat(report.users().added()).isPositive();
    assertThat(report.users().dropped()).isPositive();
    assertThat(report.items().added()).isPositive();
    assertThat(report.items().dropped()).isPositive();

    Map<String, float[]> published = EngineFixtures.collect(ModelFormat.itemFactors(spark, old));
    Map<String, float[]> started = EngineFixtures.collect(ModelFormat.itemFactors(spark, warm));
    Map<String, float[]> seeded = EngineFixtures.collect(ModelFormat.itemFactors(spark, cold));
    assertThat(started.keySet()).isEqualTo(newItems);
    for (String item : newItems) {
      float[] expected = oldItems.contains(item) ? published.get(item) : seeded.get(item);
      assertThat(started.get(item)).as("item %s", item).containsExactly(expected);
    }
    old.unpersist();
    warm.unpersist();
    cold.unpersist();
  }

  @Test
  void idsOfAnotherTypeThanTheModelsAreRefused() {
    AlsResult old = BlockAls.fit(ratings(j -> true), params(1), null);
    WarmStart wrong = new WarmStart("m", "r", ModelFormat.userFactors(spark, old),
        ModelFormat.itemFactors(spark, old), !old.userIdsLong(), old.itemIdsLong());
    assertThatThrownBy(() -> BlockAls.fit(ratings(j -> true), params(1), null, new FitOptions(wrong, null)))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining(" user ids but this input's user ids are ");
    old.unpersist();
  }

  private static Set<String> ids(IntPredicate keep, boolean users) {
    Set<String> out = new HashSet<>();
    for (int j = 0; j < planted.numTrain(); j++) {
      if (keep.test(j)) {
        out.add(users ? planted.userId(planted.trainUser()[j]) : planted.itemId(planted.trainItem()[j]));
      }
    }
    return out;
  }

  private static WarmStart.Counts counts(Set<String> before, Set<String> now) {
    long kept = now.stream().filter(before::contains).count();
    return new WarmStart.Counts(kept, now.size() - kept, before.size() - kept);
  }
}
