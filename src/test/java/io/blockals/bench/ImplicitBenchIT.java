package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The implicit benchmark on a small size: its row describes its data, and blockals' implicit ALS ranks the held-out
 * play counts about as well as MLlib's with the same rank, reg_param, alpha and iterations. The tolerance, 0.01 of
 * recall@20, is about three times the spread over model seeds at this size; a confidence that ignored the counts
 * (alpha 0) or a lost Y'Y term falls far below it.
 */
@SparkTestBase.Session(registrators = "io.blockals.bench.MllibImplicitKryo")
class ImplicitBenchIT extends SparkTestBase {
  private static final long SIZE = 20_000;
  private static final long SEED = 11;

  @Test
  void blockalsRanksHeldOutCountsAboutAsWellAsMllibAndTheRowIsItsData() {
    BenchConfig cfg = new BenchConfig(List.of(SIZE), List.of(10), 6, 0.1, 1, 0, 0, 0, false, false, false, SEED,
        "auto");
    ImplicitBench bench = new ImplicitBench(spark, cfg, new ImplicitBench.Settings(List.of(1.0), 20, false));
    List<ImplicitBench.Figures> rows = bench.run(partial -> { });
    assertThat(rows).hasSize(1);
    ImplicitBench.Figures row = rows.get(0);
    PlantedData data = SyntheticGenerator.generate(ImplicitBench.specFor(SIZE, SEED));
    assertThat(row.trainRatings()).isEqualTo(data.numTrain());
    assertThat(row.testRatings()).isEqualTo(data.numTest());
    assertThat(row.users()).isEqualTo(data.numUsers());
    assertThat(row.items()).isEqualTo(data.numItems());
    long usersWithHeldOut = java.util.Arrays.stream(data.testUser()).distinct().count();
    assertThat(row.evaluatedUsers()).isEqualTo(usersWithHeldOut);
    assertThat(row.alpha()).isEqualTo(1.0);
    assertThat(row.k()).isEqualTo(20);
    assertThat(row.mllibDefaultSeconds()).containsOnly(Double.NaN);
    assertThat(row.mllibBestRecall()).isEqualTo(row.mllibCoresRecall());

    assertThat(row.popularityRecall()).isEqualTo(ImplicitBench.popularityRecall(data, 20));
    assertThat(row.blockalsRecall()).isGreaterThanOrEqualTo(row.mllibBestRecall() - 0.01);
  }
}
