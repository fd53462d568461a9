package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchConfigTest {
  @Test
  void sizesTakeThousandAndMillionSuffixes() {
    assertThat(BenchConfig.parseSizes("100k, 1m,2.5M,3000000"))
        .containsExactly(100_000L, 1_000_000L, 2_500_000L, 3_000_000L);
  }

  @Test
  void aBadSizeIsAUsageErrorNamingIt() {
    assertThatThrownBy(() -> BenchConfig.parseSizes("1m,lots"))
        .isInstanceOf(BlockalsException.class)
        .hasMessageContaining("'lots'")
        .satisfies(e -> assertThat(((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE));
    assertThatThrownBy(() -> BenchConfig.parseSizes(",")).isInstanceOf(BlockalsException.class);
    assertThatThrownBy(() -> BenchConfig.parseSizes("0.5")).isInstanceOf(BlockalsException.class);
  }

  @Test
  void ranksParseAndRejectNonIntegers() {
    assertThat(BenchConfig.parseRanks("10,64")).containsExactly(10, 64);
    assertThatThrownBy(() -> BenchConfig.parseRanks("10,x")).isInstanceOf(BlockalsException.class);
  }

  @Test
  void sizeLabelsRoundTrip() {
    assertThat(BenchConfig.sizeLabel(100_000)).isEqualTo("100k");
    assertThat(BenchConfig.sizeLabel(3_000_000)).isEqualTo("3M");
    assertThat(BenchConfig.sizeLabel(2_500_000)).isEqualTo("2.5M");
    assertThat(BenchConfig.sizeLabel(1234)).isEqualTo("1234");
  }

  @Test
  void theConstructorRejectsNonsense() {
    assertThatThrownBy(() -> new BenchConfig(List.of(1_000_000L), List.of(10), 10, 0.05, 0, 1, 0, 0, true, true, true, 1, "auto"))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("--rounds");
    assertThatThrownBy(() -> new BenchConfig(List.of(1_000_000L), List.of(), 10, 0.05, 3, 1, 0, 0, true, true, true, 1, "auto"))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("--ranks");
    assertThatThrownBy(() -> new BenchConfig(List.of(1_000_000L), List.of(10), 10, -1, 3, 1, 0, 0, true, true, true, 1, "auto"))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("--reg");
  }

  @Test
  void generatedSizesAreValidSpecs() {
    for (long size : BenchConfig.parseSizes("20k,100k,1m,3m,10m")) {
      BenchRunner.specFor(size, 42L).validate();
    }
    assertThat(BenchRunner.specFor(3_000_000, 42L).users()).isEqualTo(75_000);
    assertThat(BenchRunner.specFor(3_000_000, 42L).items()).isEqualTo(20_000);
  }
}
