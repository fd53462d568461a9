package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowRulesTest {
  private static final String[] LABELS = {"user", "item", "rating", "ts"};
  private static final TextLayout CSV3 =
      new TextLayout(",", true, true, new int[] {0, 1, 2, -1}, LABELS, 3);
  private static final TextLayout CSV4 =
      new TextLayout(",", true, true, new int[] {0, 1, 2, 3}, LABELS, 4);
  private static final double INF = Double.POSITIVE_INFINITY;

  private static RowRules.Verdict check(String line, TextLayout layout) {
    return RowRules.checkLine(line, layout, -INF, INF);
  }

  @Test
  void goodLineIsTrimmed() {
    RowRules.Verdict v = check(" u1 , i1 , 4.5 ", CSV3);
    assertThat(v.isGood()).isTrue();
    assertThat(v.user).isEqualTo("u1");
    assertThat(v.item).isEqualTo("i1");
    assertThat(v.rating).isEqualTo(4.5);
    assertThat(v.ts).isNull();
  }

  @Test
  void nonNumericRating() {
    RowRules.Verdict v = check("u1,i1,abc", CSV3);
    assertThat(v.reason).isEqualTo(BadRowReason.NOT_A_NUMBER);
    assertThat(v.describe()).isEqualTo("column 'rating' value 'abc' is not a number");
  }

  @Test
  void decimalCommaGetsAHint() {
    TextLayout semicolon = new TextLayout(";", true, true, new int[] {0, 1, 2, -1}, LABELS, 3);
    RowRules.Verdict v = RowRules.checkLine("u1;i1;4,5", semicolon, -INF, INF);
    assertThat(v.reason).isEqualTo(BadRowReason.NOT_A_NUMBER);
    assertThat(v.problem).contains("decimal separator must be '.'");
  }

  @Test
  void javaOnlyNumberSyntaxIsNotANumber() {
    // Double.parseDouble would accept these; a ratings file should not
    assertThat(check("u1,i1,4d", CSV3).reason).isEqualTo(BadRowReason.NOT_A_NUMBER);
    assertThat(check("u1,i1,0x1p2", CSV3).reason).isEqualTo(BadRowReason.NOT_A_NUMBER);
  }

  @Test
  void finiteButAbsurdMagnitudesAreOutOfRange() {
    // 1e300 and -3.5e38 parse as finite doubles, but the first is infinite as a float and squares to infinity in
    // double; the second is beyond float range. 1e18 itself is the largest accepted magnitude.
    for (String s : new String[] {"1e300", "-3.5e38", "1.0000001e18"}) {
      RowRules.Verdict v = check("u1,i1," + s, CSV3);
      assertThat(v.reason).as(s).isEqualTo(BadRowReason.OUT_OF_RANGE);
      assertThat(v.describe()).as(s).startsWith("column 'rating' value '" + s + "' is beyond");
    }
    assertThat(check("u1,i1,1e18", CSV3).isGood()).isTrue();
    assertThat(check("u1,i1,-1e18", CSV3).isGood()).isTrue();
  }

  @Test
  void pairsWithoutARatingColumnReadAsZero() {
    TextLayout pairs = new TextLayout(",", true, true, new int[] {0, 1, -1, -1}, LABELS, 2);
    RowRules.Verdict v = check(" \"a\"\"b\" , \" spaced \" ", pairs);
    assertThat(v.isGood()).isTrue();
    assertThat(v.user).isEqualTo("a\"b");
    assertThat(v.item).isEqualTo("spaced");
    assertThat(v.rating).isEqualTo(0.0);
  }

  @Test
  void nanAndInfinityAreNotFinite() {
    for (String s : new String[] {"NaN", "nan", "Infinity", "-inf", "1e999"}) {
      RowRules.Verdict v = check("u1,i1," + s, CSV3);
      assertThat(v.reason).as(s).isEqualTo(BadRowReason.NOT_FINITE);
      assertThat(v.describe()).as(s).isEqualTo("column 'rating' value '" + s + "' is not a finite number");
    }
  }

  @Test
  void emptyRatingAndTooFewFieldsAreMissingFields() {
    RowRules.Verdict empty = check("u1,i1,", CSV3);
    assertThat(empty.reason).isEqualTo(BadRowReason.MISSING_FIELD);
    assertThat(empty.describe()).isEqualTo("column 'rating' is empty");
    RowRules.Verdict missing = check("u1,i1", CSV3);
    assertThat(missing.reason).isEqualTo(BadRowReason.MISSING_FIELD);
    assertThat(missing.describe()).isEqualTo("column 'rating' is missing (expected 3 fields, found 2: 'u1,i1')");
  }

  @Test
  void extraFields() {
    RowRules.Verdict v = check("u1,i1,4,100,x", CSV4);
    assertThat(v.reason).isEqualTo(BadRowReason.EXTRA_FIELDS);
    assertThat(v.describe()).isEqualTo("expected 4 fields, found 5: 'u1,i1,4,100,x'");
  }

  @Test
  void emptyIds() {
    RowRules.Verdict user = check(" ,i1,4", CSV3);
    assertThat(user.reason).isEqualTo(BadRowReason.EMPTY_ID);
    assertThat(user.describe()).isEqualTo("column 'user' is an empty id");
    RowRules.Verdict item = check("u1,\"\",4", CSV3);
    assertThat(item.reason).isEqualTo(BadRowReason.EMPTY_ID);
    assertThat(item.column).isEqualTo("item");
  }

  @Test
  void ratingOutOfRangeNamesTheBounds() {
    RowRules.Verdict v = RowRules.checkLine("u1,i1,6", CSV3, 1, 5);
    assertThat(v.reason).isEqualTo(BadRowReason.OUT_OF_RANGE);
    assertThat(v.describe()).isEqualTo("column 'rating' value '6' is outside [1, 5] (min_rating, max_rating)");
    assertThat(RowRules.checkLine("u1,i1,1", CSV3, 1, 5).isGood()).isTrue();
    assertThat(RowRules.checkLine("u1,i1,5.0", CSV3, 1, 5).isGood()).isTrue();
    assertThat(RowRules.checkLine("u1,i1,0.5", CSV3, 1, 5).reason).isEqualTo(BadRowReason.OUT_OF_RANGE);
  }

  @Test
  void timestamps() {
    assertThat(check("u1,i1,4,978300760", CSV4).ts).isEqualTo(978300760L);
    // 2001-01-01T00:00:00Z = 978307200 s (31 years of 365 days + 8 leap days = 11323 days * 86400)
    assertThat(check("u1,i1,4,2001-01-01T00:00:00Z", CSV4).ts).isEqualTo(978307200L);
    assertThat(check("u1,i1,4,2001-01-01T01:00:00+01:00", CSV4).ts).isEqualTo(978307200L);
    assertThat(check("u1,i1,4,2001-01-01", CSV4).ts).isEqualTo(978307200L);
    RowRules.Verdict bad = check("u1,i1,4,yesterday", CSV4);
    assertThat(bad.reason).isEqualTo(BadRowReason.BAD_TIMESTAMP);
    assertThat(bad.describe()).isEqualTo("column 'ts' value 'yesterday' is not an integer or ISO-8601 timestamp");
    assertThat(check("u1,i1,4,99999999999999999999", CSV4).reason).isEqualTo(BadRowReason.BAD_TIMESTAMP);
  }

  @Test
  void wrongDelimiterSuggestsTheRightOne() {
    RowRules.Verdict v = check("u1;i1;4", CSV3);
    assertThat(v.reason).isEqualTo(BadRowReason.MISSING_FIELD);
    assertThat(v.problem).endsWith("; did you mean delimiter ';'?");
  }

  @Test
  void unclosedQuoteIsMalformed() {
    RowRules.Verdict v = check("\"u1,i1,4", CSV3);
    assertThat(v.reason).isEqualTo(BadRowReason.MALFORMED_QUOTE);
    assertThat(v.problem).contains("not closed on this line");
  }

  @Test
  void typedValuesFromParquet() {
    assertThat(RowRules.checkTyped("7", "9", 3.0, false, false, null, null, LABELS, -INF, INF).isGood()).isTrue();
    RowRules.Verdict nullRating = RowRules.checkTyped("7", "9", null, false, false, null, null, LABELS, -INF, INF);
    assertThat(nullRating.reason).isEqualTo(BadRowReason.MISSING_FIELD);
    assertThat(nullRating.describe()).isEqualTo("column 'rating' is null");
    assertThat(RowRules.checkTyped(null, "9", 3.0, false, false, null, null, LABELS, -INF, INF).reason)
        .isEqualTo(BadRowReason.EMPTY_ID);
    assertThat(RowRules.checkTyped("7", "9", Double.NaN, false, false, null, null, LABELS, -INF, INF).reason)
        .isEqualTo(BadRowReason.NOT_FINITE);
    assertThat(RowRules.checkTyped("7", "9", 3.0, true, true, null, "2001-01-01", LABELS, -INF, INF).ts)
        .isEqualTo(978307200L);
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String longValue = "x".repeat(200);
    assertThat(RowRules.describe("rating", longValue, "is not a number")).hasSizeLessThan(140).contains("...");
  }
}
