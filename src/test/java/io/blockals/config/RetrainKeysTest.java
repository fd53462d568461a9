package io.blockals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.engine.AlsParams;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The warm-start, early-stopping and confidence keys: defaults, values reaching the engine, refusals (exit 2). */
class RetrainKeysTest {
  private static JobConfig load(Map<String, String> set) {
    return JobConfig.load(null, set, new Configuration(false));
  }

  private static void refused(Map<String, String> set, String message) {
    assertThatThrownBy(() -> load(set))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining(message);
  }

  @Test
  void defaultsAreAColdStartWithoutEarlyStoppingAndLinearConfidence() {
    JobConfig c = JobConfig.defaultsOnly();
    assertThat(c.initModel()).isEmpty();
    AlsParams p = c.alsParams(2);
    assertThat(p.tolerance()).isZero();
    assertThat(p.patience()).isZero();
    assertThat(p.alphaScaling()).isEqualTo(AlsParams.AlphaScaling.LINEAR);
    assertThat(p.epsilon()).isEqualTo(1.0);
  }

  @Test
  void valuesReachTheEngine() {
    AlsParams p = load(Map.of("tolerance", "1e-4", "patience", "3", "validation_fraction", "0.1",
        "alpha_scaling", "LOG", "epsilon", "10", "init_model", " models/x ")).alsParams(2);
    assertThat(p.tolerance()).isEqualTo(1e-4);
    assertThat(p.patience()).isEqualTo(3);
    assertThat(p.alphaScaling()).isEqualTo(AlsParams.AlphaScaling.LOG);
    assertThat(p.epsilon()).isEqualTo(10.0);
    assertThat(load(Map.of("init_model", " models/x ")).initModel()).isEqualTo("models/x");
    assertThat(p.toJson()).containsEntry("alpha_scaling", "log").containsEntry("tolerance", 1e-4)
        .containsEntry("patience", 3);
  }

  @Test
  void badValuesAreRefused() {
    refused(Map.of("patience", "2"), "also set validation_fraction");
    refused(Map.of("tolerance", "1"), "tolerance = 1.0 must be below 1");
    refused(Map.of("tolerance", "-0.1"), "tolerance");
    refused(Map.of("alpha_scaling", "sqrt"), "alpha_scaling = 'sqrt' must be linear");
    refused(Map.of("epsilon", "0"), "epsilon = 0 must be above 0");
    refused(Map.of("epsilon", "-1"), "epsilon");
    refused(Map.of("tolerence", "0.1"), "did you mean 'tolerance'");
  }
}
