package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {
  private static final double NAN = Double.NaN;

  private static BenchRow row() {
    // blockals rounds 4, 2, 3 (median 3); on int ids 2.4, 1.8, 2.1 (median 2.1); MLlib 10 blocks 12, 11, 13 (median
    // 12); MLlib 2 blocks 9, 8, 10 (median 9, the best); plain ran once: 6. Ratios: 3 / 9 = 0.33x, 3 / 6 = 0.50x,
    // 2.1 / 9 = 0.23x, 2.1 / 6 = 0.35x.
    return new BenchRow("3M", 2_700_000, 300_000, 75_000, 20_000, 10, 2, 10, 2, new double[] {4, 2, 3},
        new double[] {2.4, 1.8, 2.1}, new double[] {12, 11, 13}, new double[] {9, 8, 10}, new double[] {6, NAN, NAN},
        0.3012, 0.3013, 0.3311, 0.3301, 0.45, 0.3, 1536L * 1024 * 1024, 2048L * 1024 * 1024);
  }

  @Test
  void derivedFiguresComeFromTheMedians() {
    BenchRow r = row();
    assertThat(r.blockalsMedian()).isEqualTo(3.0);
    assertThat(r.mllibBestMedian()).isEqualTo(9.0);
    assertThat(r.mllibCoresIsBest()).isTrue();
    assertThat(r.mllibBestRmse()).isEqualTo(0.3301);
    assertThat(r.ratioToMllib()).isEqualTo(3.0 / 9.0);
    assertThat(r.ratioToPlain()).isEqualTo(0.5);
    assertThat(r.blockalsIntMedian()).isEqualTo(2.1);
    assertThat(r.intRatioToMllib()).isEqualTo(2.1 / 9.0);
    assertThat(r.intRatioToPlain()).isEqualTo(2.1 / 6.0);
  }

  @Test
  void withoutACoresSettingTheDefaultIsBest() {
    BenchRow r = new BenchRow("1M", 1, 1, 1, 1, 10, 10, 10, 0, new double[] {1}, new double[] {NAN},
        new double[] {2}, new double[] {NAN}, new double[] {NAN}, 0.3, NAN, 0.31, NAN, NAN, 0.3, 1, 1);
    assertThat(r.mllibCoresIsBest()).isFalse();
    assertThat(r.mllibBestMedian()).isEqualTo(2.0);
    assertThat(r.mllibBestRmse()).isEqualTo(0.31);
    assertThat(r.ratioToPlain()).isNaN();
    assertThat(r.intRatioToMllib()).isNaN();
    assertThat(BenchTable.rounds(List.of(r)).toText()).doesNotContain("int ids");
  }

  @Test
  void summaryMarkdownHasOneRowPerSizeAndRank() {
    String md = BenchTable.summary(List.of(row())).toMarkdown();
    String[] lines = md.split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("| size | train ratings | rank | blockals s | MLlib 10 blocks s | MLlib 2 blocks s");
    assertThat(lines[1]).startsWith("|:---|---:|");
    assertThat(lines[2]).isEqualTo("| 3M | 2700000 | 10 | 3.00 | 12.00 | 9.00 | 0.33x | 6.00 | 0.50x | 2.10 | 0.23x "
        + "| 0.35x | 0.3012 | 0.3013 | 0.3301 | 0.4500 | 0.3000 | 1536 | 2048 |");
  }

  @Test
  void roundsTableListsEveryEngineThatRanWithDashesForMissingRounds() {
    String text = BenchTable.rounds(List.of(row())).toText();
    assertThat(text).contains("blockals (2 blocks)", "blockals, int ids (2 blocks)", "MLlib (10 blocks)",
        "MLlib (2 blocks)", "plain Java, 1 thread");
    String plain = text.lines().filter(l -> l.contains("plain")).findFirst().orElseThrow();
    assertThat(plain.split(" +")).endsWith("6.00", "-", "-", "6.00");
  }

  @Test
  void textTableAlignsNumbersRightAndTheFirstColumnLeft() {
    TextTable t = new TextTable(List.of("name", "value")).add(List.of("a", "1.50")).add(List.of("longer", "10.00"));
    assertThat(t.toText()).isEqualTo(
        "name    value\n"
            + "------  -----\n"
            + "a        1.50\n"
            + "longer  10.00\n");
  }

  @Test
  void markdownEscapesPipesAndRowsMustMatchTheHeader() {
    TextTable t = new TextTable(List.of("a", "b")).add(List.of("x|y", "1"));
    assertThat(t.toMarkdown()).contains("| x\\|y | 1 |");
    assertThatThrownBy(() -> t.add(List.of("only one"))).isInstanceOf(IllegalArgumentException.class);
  }
}
