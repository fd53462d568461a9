package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.data.RatingsInput;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.model.ModelFormat;
import io.blockals.model.Scoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stopping rule in the engine across Spark jobs and checkpoints, and held-out scoring that leaves the factors
 * alone. The data overfit on purpose: rank 8 on planted rank 3 with almost no regularisation, so the held-out RMSE
 * falls for a few iterations and then rises.
 */
class StoppingRuleIT extends SparkTestBase {
  private static PlantedData planted;
  private static List<Row> heldOut;

  @BeforeAll
  static void generate() {
    planted = SyntheticGenerator.generate(GeneratorSpec.denseUniform(200, 120, 0.25, 3, 0.5, 37L)
        .withTestFraction(0.2));
    heldOut = new ArrayList<>();
    for (int j = 0; j < planted.numTest(); j++) {
      heldOut.add(RowFactory.create(planted.userId(planted.testUser()[j]), planted.itemId(planted.testItem()[j]),
          (double) planted.testRating()[j]));
    }
  }

  private static Dataset<Row> train() {
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int j = 0; j < planted.numTrain(); j++) {
      us.add(planted.userId(planted.trainUser()[j]));
      is.add(planted.itemId(planted.trainItem()[j]));
      vs.add((double) planted.trainRating()[j]);
    }
    return EngineFixtures.ratings(spark, us, is, vs, 3);
  }

  private static JavaRDD<Row> pairs() {
    return jsc.parallelize(heldOut, 2);
  }

  private static AlsParams overfitting(int checkpointInterval, int patience) {
    return new AlsParams(8, 30, 0.001, false, 1.0, true, false, "cholesky", 2, 3, 42L, checkpointInterval,
        DuplicatePolicy.LATEST).withStopping(0.0, patience);
  }

  @Test
  void patienceKeepsTheBestIterateAcrossJobsAndCheckpoints() {
    // Checkpoints every 3 iterations: each Spark job runs at most 3, so the best one is from an earlier job.
    AlsResult r = BlockAls.fit(train(), overfitting(3, 2), null, new FitOptions(null, StoppingRuleIT::pairs));
    List<IterationStats> h = r.history();
    int best = r.bestIteration();
    System.out.printf("patience 2, checkpoints every 3: stopped after %d of 30, best %d, held-out %s -> %s%n",
        h.size(), best, h.get(best - 1).validationRmse(), h.get(h.size() - 1).validationRmse());
    assertThat(r.stopReason()).isEqualTo(StopReason.VALIDATION);
    assertThat(h).hasSize(best + 2);
    for (IterationStats s : h) {
      assertThat(s.validationRmse()).isGreaterThanOrEqualTo(h.get(best - 1).validationRmse());
    }
    Dataset<Row> rows = spark.createDataFrame(pairs().map(p -> RowFactory.create(p.get(0), p.get(1), p.get(2),
        null, 0L)), RatingsInput.RATINGS_SCHEMA);
    double scored = Scoring.evaluate(rows, ModelFormat.userFactors(spark, r), ModelFormat.itemFactors(spark, r),
        r.globalMean()).rmse();
    assertThat(scored).isCloseTo(h.get(best - 1).validationRmse(), org.assertj.core.data.Offset.offset(1e-9));

    // The same run without checkpoints (one job up to 20 iterations) makes the same decisions on the same figures.
    AlsResult one = BlockAls.fit(train(), overfitting(0, 2), null, new FitOptions(null, StoppingRuleIT::pairs));
    assertThat(one.bestIteration()).isEqualTo(best);
    assertThat(one.history()).hasSameSizeAs(h);
    for (int t = 0; t < h.size(); t++) {
      assertThat(one.history().get(t).trainLoss()).isEqualTo(h.get(t).trainLoss());
      assertThat(one.history().get(t).validationRmse()).isEqualTo(h.get(t).validationRmse());
    }
    r.unpersist();
    one.unpersist();
  }

  @Test
  void scoringHeldOutPairsInsideTheIterationsLeavesTheFactorsAsTheyWere() {
    AlsParams p = overfitting(10, 0).withMaxIter(4);
    AlsResult with = BlockAls.fit(train(), p, null, new FitOptions(null, StoppingRuleIT::pairs));
    AlsResult without = BlockAls.fit(train(), p, null);
    Map<String, float[]> a = EngineFixtures.collect(ModelFormat.itemFactors(spark, with));
    Map<String, float[]> b = EngineFixtures.collect(ModelFormat.itemFactors(spark, without));
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String id : a.keySet()) {
      assertThat(a.get(id)).as("item %s", id).containsExactly(b.get(id));
    }
    for (int t = 0; t < 4; t++) {
      assertThat(with.history().get(t).trainLoss()).isEqualTo(without.history().get(t).trainLoss());
      assertThat(without.history().get(t).validationRmse()).isNaN();
    }
    assertThat(with.stopReason()).isEqualTo(StopReason.MAX_ITER);
    assertThat(with.bestIteration()).isEqualTo(4);
    with.unpersist();
    without.unpersist();
  }
}
