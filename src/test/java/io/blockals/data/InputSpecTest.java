package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** The spec, the policy names, format detection and per-file layouts: everything decided before Spark runs. */
class InputSpecTest {

  private static void assertExit(Runnable r, int code, String... fragments) {
    assertThatThrownBy(r::run).isInstanceOf(BlockalsException.class)
        .satisfies(e -> assertThat(((BlockalsException) e).exitCode()).isEqualTo(code))
        .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING).contains(fragments);
  }

  @Test
  void policyParsesCaseInsensitively() {
    assertThat(BadRowPolicy.parse("Skip")).isEqualTo(BadRowPolicy.SKIP);
    assertThat(BadRowPolicy.parse(" QUARANTINE ")).isEqualTo(BadRowPolicy.QUARANTINE);
    assertThat(BadRowPolicy.parse("fail")).isEqualTo(BadRowPolicy.FAIL);
    assertExit(() -> BadRowPolicy.parse("ignore"), 2, "fail, skip, quarantine", "'ignore'");
  }

  @Test
  void defaults() {
    InputSpec d = InputSpec.defaults();
    assertThat(d.format()).isEqualTo("auto");
    assertThat(d.hasTimestamp()).isFalse();
    assertThat(d.header()).isTrue();
    assertThat(d.badRows()).isEqualTo(BadRowPolicy.FAIL);
    assertThat(d.minRating()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void invalidSettingsAreUsageErrors() {
    InputSpec d = InputSpec.defaults();
    assertExit(() -> d.withFormat("json"), 2, "format must be one of");
    assertExit(() -> d.withRatingRange(5, 1), 2, "min_rating");
    assertExit(() -> d.withBadRows(BadRowPolicy.SKIP, 1.5), 2, "max_bad_fraction");
    assertExit(() -> d.withColumns("", "item", "rating"), 2, "user_col");
  }

  @Test
  void tabDelimiterSpellings() {
    assertThat(InputSpec.defaults().withDelimiter("\\t").resolvedDelimiter()).isEqualTo("\t");
    assertThat(InputSpec.defaults().withDelimiter("TAB").resolvedDelimiter()).isEqualTo("\t");
  }

  @Test
  void kindFromExtension() {
    assertThat(InputFiles.kindOf("r.csv")).isEqualTo(InputFiles.CSV);
    assertThat(InputFiles.kindOf("R.CSV.gz")).isEqualTo(InputFiles.CSV);
    assertThat(InputFiles.kindOf("r.tsv")).isEqualTo(InputFiles.TSV);
    assertThat(InputFiles.kindOf("r.tab")).isEqualTo(InputFiles.TSV);
    assertThat(InputFiles.kindOf("part-0.snappy.parquet")).isEqualTo(InputFiles.PARQUET);
    assertThat(InputFiles.kindOf("ratings.dat")).isEqualTo(InputFiles.MOVIELENS_DAT);
    assertThat(InputFiles.kindOf("u.data")).isEqualTo(InputFiles.MOVIELENS_DATA);
    assertThat(InputFiles.kindOf("u1.base")).isNull();
  }

  @Test
  void mixedOrUnknownExtensionsAreUsageErrors() {
    assertExit(() -> InputFiles.detectKind(List.of("a.csv", "b.tsv"), List.of("d/a.csv", "d/b.tsv"), "d"), 2,
        "different formats", "d");
    assertExit(() -> InputFiles.detectKind(List.of("a.txt"), List.of("d/a.txt"), "d"), 2, "d/a.txt",
        "set format");
    assertThat(InputFiles.detectKind(List.of("a.csv", "b.csv"), List.of("a", "b"), "d")).isEqualTo(InputFiles.CSV);
  }

  @Test
  void headerFindsColumnsInAnyOrderAndCase() {
    TextLayout l = TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults().withTimestampCol("timestamp"),
        "Rating,ts_other,Item,USER,timestamp", "f.csv");
    assertThat(l.positions).containsExactly(3, 2, 0, 4);
    assertThat(l.labels).containsExactly("USER", "Item", "Rating", "timestamp");
    assertThat(l.expectedFields).isEqualTo(5);
    assertThat(l.header).isTrue();
  }

  @Test
  void missingHeaderColumnListsWhatWasFound() {
    assertExit(() -> TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults(), "user,item,score", "d/f.csv"), 3,
        "column 'rating' not found in header of d/f.csv: found [user, item, score]");
  }

  @Test
  void missingHeaderColumnSuggestsADelimiter() {
    assertExit(() -> TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults(), "user;item;rating", "f.csv"), 3,
        "column 'user' not found in header of f.csv: found [user;item;rating]", "did you mean delimiter ';'?");
  }

  @Test
  void explicitTimestampColumnMustExist() {
    assertExit(() -> TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults().withTimestampCol("time"),
        "user,item,rating", "f.csv"), 3, "column 'time' not found");
  }

  @Test
  void headerlessUsesPositionsAndTheFirstLineWidth() {
    InputSpec spec = InputSpec.defaults().withHeader(false).withColumns("1", "0", "3");
    TextLayout l = TextSource.layoutFor(InputFiles.CSV, spec, "i1,u1,x,4", "f.csv");
    assertThat(l.positions).containsExactly(1, 0, 3, -1);
    assertThat(l.expectedFields).isEqualTo(4);
    // default names stand for 0, 1, 2
    TextLayout d = TextSource.layoutFor(InputFiles.TSV, InputSpec.defaults().withHeader(false), "u\ti\t5", "f");
    assertThat(d.positions).containsExactly(0, 1, 2, -1);
    assertThat(d.delimiter).isEqualTo("\t");
    assertExit(() -> TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults().withHeader(false)
        .withColumns("uid", "item", "rating"), "1,2,3", "f"), 2, "user_col 'uid'", "header = false");
  }

  @Test
  void movieLensLayoutsIgnoreColumnSettings() {
    InputSpec spec = InputSpec.defaults().withColumns("a", "b", "c");
    TextLayout dat = TextSource.layoutFor(InputFiles.MOVIELENS_DAT, spec, "1::2::3::4", "ratings.dat");
    assertThat(dat.delimiter).isEqualTo("::");
    assertThat(dat.positions).containsExactly(0, 1, 2, 3);
    assertThat(dat.header).isFalse();
    TextLayout data = TextSource.layoutFor(InputFiles.MOVIELENS_DATA, spec, "1\t2\t3\t4", "u.data");
    assertThat(data.delimiter).isEqualTo("\t");
    assertThat(data.expectedFields).isEqualTo(4);
  }

  @Test
  void sameColumnTwiceIsAUsageError() {
    assertExit(() -> TextSource.layoutFor(InputFiles.CSV, InputSpec.defaults().withColumns("id", "id", "rating"),
        "id,rating", "f.csv"), 2, "different columns");
  }

  @Test
  void suggestedFractionIsRoundedUp() {
    assertThat(RatingsReader.roundUp(3.0 / 1000)).isEqualTo("0.003");
    assertThat(RatingsReader.roundUp(1.0 / 3)).isEqualTo("0.34");
  }
}
