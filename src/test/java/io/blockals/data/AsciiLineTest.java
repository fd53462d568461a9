package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte-level reader agrees with {@link RowRules#checkLine} on every line it takes, takes the plain lines real
 * files are made of, and leaves everything else to it.
 */
class AsciiLineTest {
  private static final String[] LABELS = {"user", "item", "rating", "ts"};
  private static final TextLayout CSV_TS = new TextLayout(",", true, true, new int[] {0, 1, 2, 3}, LABELS, 4);
  private static final TextLayout CSV = new TextLayout(",", true, true, new int[] {0, 1, 2, -1}, LABELS, 3);
  private static final TextLayout TSV = new TextLayout("\t", false, false, new int[] {0, 1, 2, 3}, LABELS, 4);
  private static final TextLayout MOVIELENS = new TextLayout("::", false, false, new int[] {0, 1, 2, 3}, LABELS, 4);
  private static final TextLayout PAIRS = new TextLayout(",", true, true, new int[] {0, 1, -1, -1}, LABELS, 2);
  /** Item first, then the rating, then the user: positions need not follow the roles. */
  private static final TextLayout SHUFFLED = new TextLayout(",", true, true, new int[] {2, 0, 1, -1}, LABELS, 3);

  private static RowRules.Verdict fast(TextLayout layout, String line, double min, double max) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    // Text hands over a buffer longer than the line: the bytes after length must not be read.
    byte[] padded = java.util.Arrays.copyOf(b, b.length + 7);
    java.util.Arrays.fill(padded, b.length, padded.length, (byte) ',');
    return AsciiLine.forLayout(layout, min, max).parse(padded, b.length);
  }

  private static void assertSameAsRules(TextLayout layout, String line, double min, double max, boolean taken) {
    RowRules.Verdict quick = fast(layout, line, min, max);
    if (!taken) {
      assertThat(quick).as("left to the rules: '%s'", line).isNull();
      return;
    }
    assertThat(quick).as("taken: '%s'", line).isNotNull();
    RowRules.Verdict rules = RowRules.checkLine(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line,
        layout, min, max);
    assertThat(rules.isGood()).as("the rules find '%s' good", line).isTrue();
    assertThat(quick.user).isEqualTo(rules.user);
    assertThat(quick.item).isEqualTo(rules.item);
    assertThat(Double.doubleToRawLongBits(quick.rating)).as("rating bits of '%s'", line)
        .isEqualTo(Double.doubleToRawLongBits(rules.rating));
    assertThat(quick.ts).isEqualTo(rules.ts);
  }

  @Test
  void plainLinesAreTakenWithTheRulesValues() {
    double inf = Double.POSITIVE_INFINITY;
    for (String line : List.of("u1,i1,4.5,1504623456", "u_0f0544,i_f60f75,4.9356,1504623456", " u1 , i1 , 3 , 17 ",
        "u1,i1,-0,0", "u1,i1,+2.,-5", "u1,i1,.25,+7", "u1,i1,0.1,1\r", "a\"b,i1,1,1".replace("\"", "'"),
        "u1,i1,123456789012345,123456789012345678", "u1,i1,0.00000000000001,1", "u1,i1,9.99999999999999,1")) {
      assertSameAsRules(CSV_TS, line, -inf, inf, true);
    }
    assertSameAsRules(CSV, "u1,i1,4", 1, 5, true);
    assertSameAsRules(TSV, "7\t8\t1.5\t99", -inf, inf, true);
    assertSameAsRules(TSV, "7\t\"8\"\t1.5\t99", -inf, inf, true);
    assertSameAsRules(MOVIELENS, "1::1193::5::978300760", 0.5, 5, true);
    assertSameAsRules(MOVIELENS, "1::11:93::5::978300760", 0.5, 5, true);
    assertSameAsRules(MOVIELENS, "1::1193::5::97830:::0760", 0.5, 5, false);
    assertSameAsRules(PAIRS, "u1,i1", -inf, inf, true);
    assertSameAsRules(SHUFFLED, "i9,2.5,u3", -inf, inf, true);
  }

  @Test
  void everythingElseIsLeftToTheRules() {
    double inf = Double.POSITIVE_INFINITY;
    for (String line : List.of(
        "\"u1\",i1,4.5,1",            // a quote where csv quotes
        "ü1,i1,4.5,1",                // not ASCII
        "\uFEFFu1,i1,4.5,1",          // a byte-order mark
        "u1,i1,4.5e0,1",              // an exponent
        "u1,i1,1234567890123456,1",   // 16 digits
        "u1,i1,4.5.1,1", "u1,i1,.,1", "u1,i1,,1", "u1,i1,-,1", "u1,i1,NaN,1", "u1,i1,4,5,1",
        "u1,i1,4", "u1,i1,4,", "  ,i1,4,1", "u1, ,4,1",
        "u1,i1,4,2017-09-05T15:37:36Z", "u1,i1,4,1234567890123456789", "u1,i1,4,1.5", "u1,i1,4,+",
        "", " ", ",,,")) {
      assertSameAsRules(CSV_TS, line, -inf, inf, false);
    }
    assertSameAsRules(CSV, "u1,i1,6", 1, 5, false);
    assertSameAsRules(CSV, "u1,i1,0.5", 1, 5, false);
    assertThat(AsciiLine.forLayout(new TextLayout("→", false, false, new int[] {0, 1, 2, -1}, LABELS, 3), 0, 5))
        .as("a delimiter that is not ASCII").isNull();
  }

  @Test
  void decimalsAreParsedToTheSameDoubleAsParseDouble() {
    SplittableRandom rnd = new SplittableRandom(11);
    AsciiLine reader = AsciiLine.forLayout(CSV_TS, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    for (int t = 0; t < 200_000; t++) {
      int digits = 1 + rnd.nextInt(AsciiLine.MAX_RATING_DIGITS);
      StringBuilder sb = new StringBuilder();
      if (rnd.nextInt(4) == 0) {
        sb.append(rnd.nextBoolean() ? '-' : '+');
      }
      int dot = rnd.nextInt(digits + 1);
      for (int d = 0; d < digits; d++) {
        if (d == dot) {
          sb.append('.');
        }
        sb.append((char) ('0' + rnd.nextInt(10)));
      }
      String s = sb.toString();
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      assertThat(Double.doubleToRawLongBits(reader.decimal(b, 0, b.length))).as(s)
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }
  }
}
