package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import io.blockals.model.ModelFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The benchmark on a tiny size, for what its figures mean rather than how fast anything is: every engine is fed
 * the same generated ratings, the row's counts are the data's, and each held-out RMSE is the one a fit with the
 * stated settings has, recomputed here.
 */
class BenchIT extends SparkTestBase {
  private static final long SIZE = 2000;
  private static final long SEED = 5;
  private static final int RANK = 3;
  private static final int ITERATIONS = 3;
  private static final double REG = 0.05;

  @Test
  void everyTableHoldsTheGeneratedRatingsInTheirOwnIds() {
    PlantedData data = SyntheticGenerator.generate(BenchRunner.specFor(SIZE, SEED));
    try (BenchData t = BenchData.build(spark, data, 3)) {
      List<Row> strings = t.blockalsTrain.orderBy("ord").collectAsList();
      List<Row> ints = t.blockalsIntTrain.orderBy("ord").collectAsList();
      assertThat(strings).hasSize(data.numTrain());
      assertThat(ints).hasSize(data.numTrain());
      List<String> expectedMllib = new ArrayList<>();
      for (int r = 0; r < data.numTrain(); r++) {
        int u = data.trainUser()[r];
        int i = data.trainItem()[r];
        float v = data.trainRating()[r];
        Row s = strings.get(r);
        assertThat(s.getLong(4)).isEqualTo(r);
        assertThat(s.getString(0)).isEqualTo(data.userId(u));
        assertThat(s.getString(1)).isEqualTo(data.itemId(i));
        assertThat(s.getDouble(2)).isEqualTo((double) v);
        assertThat(s.getLong(3)).isEqualTo(data.trainTimestamp()[r]);
        Row n = ints.get(r);
        assertThat(n.getInt(0)).isEqualTo(u);
        assertThat(n.getInt(1)).isEqualTo(i);
        assertThat(n.getDouble(2)).isEqualTo((double) v);
        expectedMllib.add(u + "/" + i + "/" + v);
      }
      assertThat(triples(t.mllibTrain.collectAsList())).containsExactlyInAnyOrderElementsOf(expectedMllib);
      List<String> expectedTest = new ArrayList<>();
      for (int r = 0; r < data.numTest(); r++) {
        expectedTest.add(data.testUser()[r] + "/" + data.testItem()[r] + "/" + data.testRating()[r]);
      }
      assertThat(triples(t.mllibTest.collectAsList())).containsExactlyInAnyOrderElementsOf(expectedTest);
    }
  }

  @Test
  void aRowsCountsAndHeldOutErrorsAreThoseOfItsData() {
    BenchConfig cfg = new BenchConfig(List.of(SIZE), List.of(RANK), ITERATIONS, REG, 2, 1, 0, 0, true, false, true,
        SEED, "auto");
    BenchRunner runner = new BenchRunner(spark, cfg);
    List<BenchRow> rows = runner.run();
    assertThat(rows).hasSize(1);
    BenchRow row = rows.get(0);
    PlantedData data = SyntheticGenerator.generate(BenchRunner.specFor(SIZE, SEED));

    assertThat(row.size()).isEqualTo("2k");
    assertThat(row.trainRatings()).isEqualTo(data.numTrain());
    assertThat(row.testRatings()).isEqualTo(data.numTest());
    assertThat(row.users()).isEqualTo(data.numUsers());
    assertThat(row.items()).isEqualTo(data.numItems());
    assertThat(row.rank()).isEqualTo(RANK);
    assertThat(row.noiseFloor()).isEqualTo(data.noiseFloor());
    int cores = runner.cores();
    assertThat(row.blockalsBlocks()).isEqualTo(cores);
    assertThat(row.mllibCoresBlocks()).isEqualTo(cores);
    // Two rounds of every engine; the plain ALS only in the first (plainRounds = 1).
    for (double[] seconds : List.of(row.blockalsSeconds(), row.blockalsIntSeconds(), row.mllibDefaultSeconds(),
        row.mllibCoresSeconds())) {
      assertThat(seconds).hasSize(2);
      for (double s : seconds) {
        assertThat(s).isPositive().isFinite();
      }
    }
    assertThat(row.plainSeconds()[0]).isPositive();
    assertThat(row.plainSeconds()[1]).isNaN();

    // blockals: a fit with the benchmark's settings, scored here by the contract's formula.
    try (BenchData t = BenchData.build(spark, data, 2 * cores)) {
      AlsParams p = new AlsParams(RANK, ITERATIONS, REG, false, 1.0, true, false, "auto", cores, cores, SEED, 0,
          DuplicatePolicy.LATEST);
      AlsResult fit = BlockAls.fit(t.blockalsTrain, p, null);
      assertThat(row.blockalsRmse()).isCloseTo(blockalsRmse(fit, data), org.assertj.core.data.Offset.offset(1e-9));
      fit.unpersist();

      // MLlib with its default blocks: the same fit, scored with cold pairs dropped.
      ALSModel mllib = new ALS().setRank(RANK).setMaxIter(ITERATIONS).setRegParam(REG)
          .setNumBlocks(BenchRunner.MLLIB_DEFAULT_BLOCKS).setSeed(SEED).setUserCol("user").setItemCol("item")
          .setRatingCol("rating").setColdStartStrategy("drop").fit(t.mllibTrain);
      double se = 0;
      List<Row> predicted = mllib.transform(t.mllibTest).select("rating", "prediction").collectAsList();
      for (Row r : predicted) {
        double e = r.getFloat(0) - r.getFloat(1);
        se += e * e;
      }
      assertThat(row.mllibDefaultRmse()).isCloseTo(Math.sqrt(se / predicted.size()),
          org.assertj.core.data.Offset.offset(1e-6));
    }

    // The plain ALS: deterministic, so the same fit gives the same held-out error.
    PlainAls.Model plain = PlainAls.fit(data.numUsers(), data.numItems(), data.trainUser(), data.trainItem(),
        data.trainRating(), RANK, ITERATIONS, REG, SEED);
    double plainSe = 0;
    for (int r = 0; r < data.numTest(); r++) {
      double pred = plain.mean();
      for (int k = 0; k < RANK; k++) {
        pred += (double) plain.userFactors()[data.testUser()[r] * RANK + k]
            * plain.itemFactors()[data.testItem()[r] * RANK + k];
      }
      double e = data.testRating()[r] - pred;
      plainSe += e * e;
    }
    assertThat(row.plainRmse()).isCloseTo(Math.sqrt(plainSe / data.numTest()),
        org.assertj.core.data.Offset.offset(1e-9));
  }

  /** Held-out RMSE of a blockals fit over the test pairs whose user and item it has factors for. */
  private static double blockalsRmse(AlsResult fit, PlantedData data) {
    Map<String, Row> users = byId(ModelFormat.userFactors(spark, fit).collectAsList());
    Map<String, Row> items = byId(ModelFormat.itemFactors(spark, fit).collectAsList());
    double se = 0;
    int n = 0;
    for (int r = 0; r < data.numTest(); r++) {
      Row u = users.get(data.userId(data.testUser()[r]));
      Row i = items.get(data.itemId(data.testItem()[r]));
      if (u == null || i == null) {
        continue;
      }
      double pred = fit.globalMean() + u.getFloat(1) + i.getFloat(1);
      List<Float> uf = u.getList(2);
      List<Float> vf = i.getList(2);
      for (int k = 0; k < RANK; k++) {
        pred += (double) uf.get(k) * vf.get(k);
      }
      double e = data.testRating()[r] - pred;
      se += e * e;
      n++;
    }
    return Math.sqrt(se / n);
  }

  private static Map<String, Row> byId(List<Row> rows) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : rows) {
      m.put(r.get(0).toString(), r);
    }
    return m;
  }

  private static List<String> triples(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getInt(0) + "/" + r.getInt(1) + "/" + r.getFloat(2));
    }
    return out;
  }
}
