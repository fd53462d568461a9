package io.blockals.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The row checks shared by the text and Parquet readers. Pure Java, no Spark: every rule of what makes a
 * row bad lives here and is unit-tested on strings.
 */
final class RowRules {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d+,\\d+");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");
  private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
      "infinity", "+infinity", "-infinity");
  private static final int MAX_SHOWN = 80;
  /**
   * The largest rating magnitude accepted whatever min_rating and max_rating say. Ratings travel as floats and the
   * engine sums squares and confidence-weighted products of them in double; 1e18 is far beyond any star rating or
   * count and keeps every such sum far from overflow, whereas a value like 1e300 (finite in a file) would turn into
   * infinity in the first float or square and poison the solve.
   */
  static final double MAX_ABS_RATING = 1e18;

  private RowRules() {}

  /** The outcome of checking one row: either the good values or why the row is bad. */
  static final class Verdict {
    final BadRowReason reason;
    final String column;
    final String value;
    final String problem;
    final String user;
    final String item;
    final double rating;
    final Long ts;

    private Verdict(BadRowReason reason, String column, String value, String problem, String user, String item,
        double rating, Long ts) {
      this.reason = reason;
      this.column = column;
      this.value = value;
      this.problem = problem;
      this.user = user;
      this.item = item;
      this.rating = rating;
      this.ts = ts;
    }

    static Verdict good(String user, String item, double rating, Long ts) {
      return new Verdict(null, null, null, null, user, item, rating, ts);
    }

    static Verdict bad(BadRowReason reason, String column, String value, String problem) {
      return new Verdict(reason, column, value, problem, null, null, Double.NaN, null);
    }

    boolean isGood() {
      return reason == null;
    }

    /** e.g. {@code column 'rating' value 'abc' is not a number}. */
    String describe() {
      return RowRules.describe(column, value, problem);
    }
  }

  /** One line of a text file: split it and check its fields against the layout. */
  static Verdict checkLine(String line, TextLayout layout, double min, double max) {
    LineSplitter.Split split = LineSplitter.split(line, layout.delimiter, layout.quoting);
    if (!split.ok()) {
      return Verdict.bad(BadRowReason.MALFORMED_QUOTE, null, null, split.error() + ": '" + shorten(line) + "'");
    }
    List<String> fields = split.fields();
    int n = fields.size();
    int expected = layout.expectedFields;
    if (n != expected) {
      String hint = LineSplitter.hint(LineSplitter.suggestDelimiter(line, layout.delimiter, layout.quoting,
          f -> f.size() == expected));
      String counts = "expected " + expected + " fields, found " + n + ": '" + shorten(line) + "'";
      if (n > expected) {
        return Verdict.bad(BadRowReason.EXTRA_FIELDS, null, null, counts + hint);
      }
      for (int role = 0; role < layout.positions.length; role++) {
        if (layout.positions[role] >= n) {
          return Verdict.bad(BadRowReason.MISSING_FIELD, layout.labels[role], null,
              "is missing (" + counts + ")" + hint);
        }
      }
      return Verdict.bad(BadRowReason.MISSING_FIELD, null, null, counts + hint);
    }
    int[] p = layout.positions;
    String tsText = p[TextLayout.TS] < 0 ? null : fields.get(p[TextLayout.TS]);
    String ratingText = p[TextLayout.RATING] < 0 ? null : fields.get(p[TextLayout.RATING]);
    return checkFields(fields.get(p[TextLayout.USER]), fields.get(p[TextLayout.ITEM]), ratingText,
        p[TextLayout.TS] >= 0, tsText, layout.labels, min, max);
  }

  /**
   * Checks text fields (trimmed here); {@code labels} are the column names by role. A null {@code ratingText} is
   * an input without a rating column (pairs), read as rating 0.
   */
  static Verdict checkFields(String userText, String itemText, String ratingText, boolean hasTs, String tsText,
      String[] labels, double min, double max) {
    String user = userText.trim();
    if (user.isEmpty()) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.USER], null, "is an empty id");
    }
    String item = itemText.trim();
    if (item.isEmpty()) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.ITEM], null, "is an empty id");
    }
    if (ratingText == null) {
      return checkTimestamp(user, item, 0.0, hasTs, tsText, labels);
    }
    String r = ratingText.trim();
    String ratingLabel = labels[TextLayout.RATING];
    if (r.isEmpty()) {
      return Verdict.bad(BadRowReason.MISSING_FIELD, ratingLabel, null, "is empty");
    }
    double rating;
    if (DECIMAL.matcher(r).matches()) {
      rating = Double.parseDouble(r);
    } else if (NON_FINITE.contains(r.toLowerCase(Locale.ROOT))) {
      return Verdict.bad(BadRowReason.NOT_FINITE, ratingLabel, r, "is not a finite number");
    } else {
      String why = DECIMAL_COMMA.matcher(r).matches() ? "is not a number (the decimal separator must be '.')"
          : "is not a number";
      return Verdict.bad(BadRowReason.NOT_A_NUMBER, ratingLabel, r, why);
    }
    Verdict ratingVerdict = checkRating(rating, r, ratingLabel, min, max);
    if (ratingVerdict != null) {
      return ratingVerdict;
    }
    return checkTimestamp(user, item, rating, hasTs, tsText, labels);
  }

  private static Verdict checkTimestamp(String user, String item, double rating, boolean hasTs, String tsText,
      String[] labels) {
    Long ts = null;
    if (hasTs) {
      String t = tsText.trim();
      if (t.isEmpty()) {
        return Verdict.bad(BadRowReason.MISSING_FIELD, labels[TextLayout.TS], null, "is empty");
      }
      ts = parseTimestamp(t);
      if (ts == null) {
        return Verdict.bad(BadRowReason.BAD_TIMESTAMP, labels[TextLayout.TS], t,
            "is not an integer or ISO-8601 timestamp");
      }
    }
    return Verdict.good(user, item, rating, ts);
  }

  /**
   * Checks typed values (Parquet): ids already cast to strings, the rating to a double, the timestamp either a
   * long or, when {@code tsIsText}, a string to parse. Nulls are bad rows.
   */
  static Verdict checkTyped(String userId, String itemId, Double rating, boolean hasTs, boolean tsIsText,
      Long tsLong, String tsText, String[] labels, double min, double max) {
    if (userId == null) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.USER], null, "is null");
    }
    String user = userId.trim();
    if (user.isEmpty()) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.USER], null, "is an empty id");
    }
    if (itemId == null) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.ITEM], null, "is null");
    }
    String item = itemId.trim();
    if (item.isEmpty()) {
      return Verdict.bad(BadRowReason.EMPTY_ID, labels[TextLayout.ITEM], null, "is an empty id");
    }
    if (rating == null) {
      return Verdict.bad(BadRowReason.MISSING_FIELD, labels[TextLayout.RATING], null, "is null");
    }
    Verdict ratingVerdict = checkRating(rating, Double.toString(rating), labels[TextLayout.RATING], min, max);
    if (ratingVerdict != null) {
      return ratingVerdict;
    }
    Long ts = null;
    if (hasTs) {
      String label = labels[TextLayout.TS];
      if (tsIsText) {
        if (tsText == null || tsText.isBlank()) {
          return Verdict.bad(BadRowReason.MISSING_FIELD, label, null, tsText == null ? "is null" : "is empty");
        }
        ts = parseTimestamp(tsText.trim());
        if (ts == null) {
          return Verdict.bad(BadRowReason.BAD_TIMESTAMP, label, tsText.trim(),
              "is not an integer or ISO-8601 timestamp");
        }
      } else {
        if (tsLong == null) {
          return Verdict.bad(BadRowReason.MISSING_FIELD, label, null, "is null");
        }
        ts = tsLong;
      }
    }
    return Verdict.good(user, item, rating, ts);
  }

  /** Finite and within bounds: {@code null}; otherwise the bad verdict. {@code shown} is the value as read. */
  static Verdict checkRating(double rating, String shown, String label, double min, double max) {
    if (!Double.isFinite(rating)) {
      return Verdict.bad(BadRowReason.NOT_FINITE, label, shown, "is not a finite number");
    }
    if (Math.abs(rating) > MAX_ABS_RATING) {
      return Verdict.bad(BadRowReason.OUT_OF_RANGE, label, shown,
          "is beyond the largest magnitude a rating may have (1e18)");
    }
    if (rating < min || rating > max) {
      return Verdict.bad(BadRowReason.OUT_OF_RANGE, label, shown,
          "is outside [" + bound(min) + ", " + bound(max) + "] (min_rating, max_rating)");
    }
    return null;
  }

  /**
   * An integer as is, or an ISO-8601 instant, offset date-time, local date-time (UTC) or date (midnight UTC)
   * as epoch seconds; {@code null} when it is none of these.
   */
  static Long parseTimestamp(String t) {
    if (INTEGER.matcher(t).matches()) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException overflow) {
        return null;
      }
    }
    try {
      return Instant.parse(t).getEpochSecond();
    } catch (DateTimeParseException e) {
      // not an instant; try the other ISO shapes
    }
    try {
      return OffsetDateTime.parse(t).toEpochSecond();
    } catch (DateTimeParseException e) {
      // next shape
    }
    try {
      return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // next shape
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** e.g. {@code column 'rating' value 'abc' is not a number}; column and value are optional. */
  static String describe(String column, String value, String problem) {
    StringBuilder sb = new StringBuilder();
    if (column != null) {
      sb.append("column '").append(column).append("' ");
    }
    if (value != null) {
      sb.append("value '").append(shorten(value)).append("' ");
    }
    return sb.append(problem).toString();
  }

  /** Keeps messages one line and readable: tabs shown as \t, long values cut. */
  static String shorten(String s) {
    String oneLine = s.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...";
  }

  private static String bound(double b) {
    if (b == Math.rint(b) && Math.abs(b) < 1e15) {
      return Long.toString((long) b);
    }
    return Double.toString(b);
  }
}
