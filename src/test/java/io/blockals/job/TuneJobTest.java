package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tune block: grids, sampled ranges, folds, metrics and the best.conf train reads. */
class TuneJobTest {
  @TempDir
  Path tmp;

  private TuneJob.Parsed parse(String text) throws Exception {
    Path p = tmp.resolve("t.conf");
    Files.writeString(p, text);
    return TuneJob.parse(p.toString(), new Configuration(false));
  }

  @Test
  void listsAreGridAxesAndEveryCombinationIsACandidate() throws Exception {
    TuneJob.Parsed p = parse("rank = 4\ntune { reg_param = [0.01, 0.1], rank = [2, 6, 8], folds = 3, "
        + "metric = \"ndcg@20\" }");
    assertThat(p.base()).containsEntry("rank", 4);
    assertThat(p.spec().folds()).isEqualTo(3);
    assertThat(p.spec().minimise()).isFalse();
    assertThat(p.spec().k()).isEqualTo(20);
    List<Map<String, Double>> c = p.spec().candidates();
    // 3 x 2 combinations, axes in key order (rank, reg_param), the first varying slowest
    assertThat(c).hasSize(6);
    assertThat(c.get(0)).isEqualTo(Map.of("rank", 2.0, "reg_param", 0.01));
    assertThat(c.get(1)).isEqualTo(Map.of("rank", 2.0, "reg_param", 0.1));
    assertThat(c.get(5)).isEqualTo(Map.of("rank", 8.0, "reg_param", 0.1));
  }

  @Test
  void aRangeIsSampledWithTheSeedLogUniformAndRoundedForIntegerKeys() throws Exception {
    String text = "tune { rank = { min = 4, max = 64, log = true, samples = 5 }, "
        + "reg_param = { min = 0.001, max = 1, log = true, samples = 4 }, seed = 3 }";
    List<Double> ranks = parse(text).spec().axes().get("rank");
    assertThat(ranks).hasSize(5).allMatch(r -> r == Math.rint(r) && r >= 4 && r <= 64);
    assertThat(parse(text).spec().axes()).isEqualTo(parse(text).spec().axes());
    assertThat(parse(text).spec().axes().get("reg_param")).hasSize(4).allMatch(v -> v >= 0.001 && v <= 1);
  }

  @Test
  void badBlocksAreUsageErrors() {
    assertThatThrownBy(() -> parse("rank = 4")).isInstanceOf(BlockalsException.class)
        .hasMessageContaining("no tune block");
    assertThatThrownBy(() -> parse("tune { reg_param = [0.1], metric = accuracy }"))
        .hasMessageContaining("tune.metric");
    assertThatThrownBy(() -> parse("tune { reg_param = 0.1 }")).hasMessageContaining("list of values");
    assertThatThrownBy(() -> parse("tune { folds = 3 }")).hasMessageContaining("names no key");
    // a candidate value is checked like any config value, before Spark starts
    assertThatThrownBy(() -> TuneJob.candidateConfig(Map.of(), Map.of(), Map.of("rnak", 3.0)))
        .hasMessageContaining("unknown config key 'rnak'");
  }

  @Test
  void bestConfHoldsTheFileTheOverridesAndTheWinnerAndLoadsAsAConfig() throws Exception {
    TuneJob.Trial best = new TuneJob.Trial(2, Map.of("reg_param", 0.1, "rank", 6.0), List.of(0.9), 0.9, 1.0);
    String conf = TuneJob.bestConf(Map.of("max_iter", 7, "user_col", "user id"), Map.of("alpha", "2"), best, "rmse");
    Path p = tmp.resolve("best.conf");
    Files.writeString(p, conf);
    JobConfig cfg = JobConfig.load(p.toString(), Map.of(), new Configuration(false));
    assertThat(cfg.regParam()).isEqualTo(0.1);
    assertThat(cfg.rank()).isEqualTo(6);
    assertThat(cfg.maxIter()).isEqualTo(7);
    assertThat(cfg.alpha()).isEqualTo(2.0);
    assertThat(cfg.inputSpec().userCol()).isEqualTo("user id");
    assertThat(conf).doesNotContain("tune {");
  }
}
