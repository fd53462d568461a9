package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.data.ParseWarmUp;
import io.blockals.engine.AlsParams;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.engine.KernelWarmUp;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class WarmUpPluginTest {
  private static AlsParams params(int rank, boolean implicit, boolean biases, boolean nonnegative, String solver) {
    return new AlsParams(rank, 10, 0.05, implicit, 1.0, biases, nonnegative, solver, 2, 2, 7L, 0,
        DuplicatePolicy.LATEST);
  }

  private static SparkConf conf(Map<String, String> settings) {
    SparkConf c = new SparkConf(false);
    settings.forEach(c::set);
    return c;
  }

  @Test
  void theWarmUpSolvesWhatTheRunSolves() {
    for (AlsParams p : new AlsParams[] {params(10, false, true, false, "auto"), params(3, true, false, false, "cg"),
        params(17, false, false, true, "cholesky")}) {
      AlsParams back = WarmUpPlugin.params(conf(WarmUpPlugin.settings(p, null)));
      assertThat(back.rank()).isEqualTo(p.rank());
      assertThat(back.dim()).isEqualTo(p.dim());
      assertThat(back.implicit()).isEqualTo(p.implicit());
      assertThat(back.biases()).isEqualTo(p.biases());
      assertThat(back.nonnegative()).isEqualTo(p.nonnegative());
      assertThat(back.solverSpec()).isEqualTo(p.solverSpec());
    }
  }

  @Test
  void pluginsAlreadyConfiguredAreKept() {
    String me = WarmUpPlugin.class.getName();
    AlsParams p = params(10, false, true, false, "auto");
    assertThat(WarmUpPlugin.settings(p, null)).containsEntry("spark.plugins", me);
    assertThat(WarmUpPlugin.settings(p, " ")).containsEntry("spark.plugins", me);
    assertThat(WarmUpPlugin.settings(p, "com.acme.Metrics")).containsEntry("spark.plugins", "com.acme.Metrics," + me);
    assertThat(WarmUpPlugin.settings(p, "com.acme.Metrics," + me))
        .containsEntry("spark.plugins", "com.acme.Metrics," + me);
  }

  @Test
  void switchedOffOrUnconfiguredMeansNoWarmUp() {
    Map<String, String> on = WarmUpPlugin.settings(params(10, false, true, false, "auto"), null);
    SparkConf off = conf(on).set("spark.blockals.warmUp.enabled", "false");
    assertThat(WarmUpPlugin.params(off)).isNull();
    assertThat(WarmUpPlugin.params(new SparkConf(false))).isNull();
  }

  @Test
  void theReaderWarmUpReadsEveryMadeUpLineAsGood() {
    assertThat(ParseWarmUp.run(3, 500)).isEqualTo(1500);
    // 200 rows over two user blocks: at least one batch per block.
    assertThat(KernelWarmUp.batching(ParseWarmUp.rows(ParseWarmUp.madeUpLines(200), 0))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aWarmUpRunsItsRoundsAndStopsWithinItsBudget() {
    AlsParams p = params(4, false, true, false, "auto");
    double[] rounds = KernelWarmUp.run(p, 5, 3, 60_000_000_000L);
    // At least the minimum, and never past the cap once settled; every round measured.
    assertThat(rounds.length).isBetween(5, 1024);
    for (double t : rounds) {
      assertThat(t).isPositive();
    }
    double[] one = KernelWarmUp.run(p, 1000, 3, 0L);
    assertThat(one).as("a spent budget ends the warm-up after one round").hasSize(1);
  }
}
