package io.blockals.data;

import java.nio.charset.StandardCharsets;

/**
 * The common line read straight from its bytes: ASCII, no quotes, the expected number of fields, ids without
 * surrounding blanks, a plain decimal rating and an integer timestamp. Such a line needs no decoding to a String, no
 * field list and no regular expression, and it is good by every rule of {@link RowRules}, with the same values
 * {@link RowRules#checkLine} gives. Anything else (a quote, a byte above 0x7F, an exponent, a bad or out-of-range
 * value, an ISO timestamp) is left to {@link RowRules#checkLine}, which alone decides and describes bad rows.
 */
final class AsciiLine {
  /** Digits a rating may have here: with at most 15, the digits and the power of ten are exact doubles. */
  static final int MAX_RATING_DIGITS = 15;
  /** Digits a timestamp may have here: at most 18 always fit a long. */
  static final int MAX_TS_DIGITS = 18;
  private static final double[] POW10 = new double[MAX_RATING_DIGITS + 1];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final byte[] delimiter;
  private final int expected;
  private final boolean quoting;
  private final TextLayout layout;
  private final double min;
  private final double max;
  private final int[] starts;
  private final int[] ends;
  /** The line {@link #read} read last: where its ids are, its rating and timestamp. */
  int userStart;
  int userEnd;
  int itemStart;
  int itemEnd;
  double rating;
  boolean hasTs;
  long ts;
  private int idStart;
  private int idEnd;
  /** What {@link #scan} read last. */
  private long mantissa;
  private int fraction;
  private boolean negative;

  /** A reader for the layout, or null when its delimiter is not plain ASCII (then every line takes the slow path). */
  static AsciiLine forLayout(TextLayout layout, double min, double max) {
    byte[] d = layout.delimiter.getBytes(StandardCharsets.UTF_8);
    if (d.length == 0 || d.length != layout.delimiter.length()) {
      return null;
    }
    for (byte b : d) {
      if (b < 0x20 && b != '\t' || b == ' ' || b == '"') {
        return null;
      }
    }
    return new AsciiLine(d, layout, min, max);
  }

  private AsciiLine(byte[] delimiter, TextLayout layout, double min, double max) {
    this.delimiter = delimiter;
    this.expected = layout.expectedFields;
    this.quoting = layout.quoting;
    this.layout = layout;
    this.min = min;
    this.max = max;
    this.starts = new int[expected];
    this.ends = new int[expected];
  }

  /**
   * Reads {@code bytes[0 .. length)} (one line, without its line break; a trailing CR is dropped): true when it is a
   * good line of the common shape, whose ids are then {@code bytes[userStart .. userEnd)} and
   * {@code bytes[itemStart .. itemEnd)} (trimmed, never empty) and whose values are {@link #rating} and, with a
   * timestamp column, {@link #ts}; false when the line must go through {@link RowRules#checkLine}.
   */
  boolean read(byte[] bytes, int length) {
    int n = length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    int fields = 0;
    int start = 0;
    byte d0 = delimiter[0];
    for (int i = 0; i < n; i++) {
      byte b = bytes[i];
      if (b < 0 || (quoting && b == '"')) {
        return false;
      }
      if (b == d0 && matches(bytes, i, n)) {
        if (fields == expected) {
          return false;
        }
        starts[fields] = start;
        ends[fields++] = i;
        i += delimiter.length - 1;
        start = i + 1;
      }
    }
    if (fields != expected - 1) {
      return false;
    }
    starts[fields] = start;
    ends[fields] = n;
    int[] p = layout.positions;
    if (!id(bytes, p[TextLayout.USER])) {
      return false;
    }
    userStart = idStart;
    userEnd = idEnd;
    if (!id(bytes, p[TextLayout.ITEM])) {
      return false;
    }
    itemStart = idStart;
    itemEnd = idEnd;
    rating = 0.0;
    if (p[TextLayout.RATING] >= 0) {
      rating = decimal(bytes, starts[p[TextLayout.RATING]], ends[p[TextLayout.RATING]]);
      if (Double.isNaN(rating) || Math.abs(rating) > RowRules.MAX_ABS_RATING || rating < min || rating > max) {
        return false;
      }
    }
    hasTs = p[TextLayout.TS] >= 0;
    if (hasTs) {
      if (!scan(bytes, starts[p[TextLayout.TS]], ends[p[TextLayout.TS]], MAX_TS_DIGITS, false)) {
        return false;
      }
      ts = negative ? -mantissa : mantissa;
    }
    return true;
  }

  /** The good verdict of a line, as {@link #read} reads it, or null when it must go through the slow path. */
  RowRules.Verdict parse(byte[] bytes, int length) {
    return read(bytes, length) ? verdict(bytes) : null;
  }

  /** The good verdict of the line {@link #read} last read (and found good) in {@code bytes}. */
  RowRules.Verdict verdict(byte[] bytes) {
    return RowRules.Verdict.good(new String(bytes, userStart, userEnd - userStart, StandardCharsets.ISO_8859_1),
        new String(bytes, itemStart, itemEnd - itemStart, StandardCharsets.ISO_8859_1), rating, hasTs ? ts : null);
  }

  private boolean matches(byte[] bytes, int at, int n) {
    if (at + delimiter.length > n) {
      return false;
    }
    for (int k = 1; k < delimiter.length; k++) {
      if (bytes[at + k] != delimiter[k]) {
        return false;
      }
    }
    return true;
  }

  /** Field {@code f} trimmed as {@link String#trim()} trims, into {@link #idStart}/{@link #idEnd}; false if empty. */
  private boolean id(byte[] bytes, int f) {
    int s = starts[f];
    int e = ends[f];
    while (s < e && bytes[s] <= ' ') {
      s++;
    }
    while (e > s && bytes[e - 1] <= ' ') {
      e--;
    }
    idStart = s;
    idEnd = e;
    return s != e;
  }

  /**
   * {@code [+-]?d*(.d*)?} with at least one digit and at most {@link #MAX_RATING_DIGITS}, blanks around it allowed,
   * as the double {@link Double#parseDouble} gives for it; NaN for anything else. Both the digits as an integer and
   * the power of ten are exact doubles, so their correctly rounded quotient is the correctly rounded decimal.
   */
  double decimal(byte[] bytes, int s, int e) {
    if (!scan(bytes, s, e, MAX_RATING_DIGITS, true)) {
      return Double.NaN;
    }
    double v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
    return negative ? -v : v;
  }

  /**
   * Reads {@code [+-]?d*(.d*)?} (the dot only with {@code dot}) between blanks into {@link #mantissa},
   * {@link #fraction} (digits after the dot, 0 without one) and {@link #negative}; false when the field is not of
   * that shape, has no digit or has more than {@code maxDigits}.
   */
  private boolean scan(byte[] bytes, int s, int e, int maxDigits, boolean dot) {
    while (s < e && bytes[s] <= ' ') {
      s++;
    }
    while (e > s && bytes[e - 1] <= ' ') {
      e--;
    }
    negative = false;
    if (s < e && (bytes[s] == '+' || bytes[s] == '-')) {
      negative = bytes[s] == '-';
      s++;
    }
    mantissa = 0;
    int digits = 0;
    int afterDot = -1;
    for (int i = s; i < e; i++) {
      byte b = bytes[i];
      if (b >= '0' && b <= '9') {
        if (++digits > maxDigits) {
          return false;
        }
        mantissa = mantissa * 10 + (b - '0');
        if (afterDot >= 0) {
          afterDot++;
        }
      } else if (dot && b == '.' && afterDot < 0) {
        afterDot = 0;
      } else {
        return false;
      }
    }
    fraction = Math.max(afterDot, 0);
    return digits > 0;
  }
}
