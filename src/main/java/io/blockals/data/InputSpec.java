package io.blockals.data;

import io.blockals.BlockalsException;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * How to read and validate a ratings input. The config layer builds one from the job configuration; the
 * keys named below are the config keys.
 *
 * @param format {@code format}: {@code auto} (from the file extension: {@code .csv}; {@code .tsv} or
 *     {@code .tab}; {@code .parquet}; {@code .dat} = MovieLens {@code ratings.dat} with {@code ::};
 *     {@code u.data} or any {@code *.data} = MovieLens tab-separated; a compression suffix such as
 *     {@code .gz} is looked through), {@code csv}, {@code tsv}, {@code parquet} or {@code movielens}. A
 *     directory whose files have different extensions is a usage error under {@code auto}.
 * @param userCol {@code user_col}: the user id column
 * @param itemCol {@code item_col}: the item id column
 * @param ratingCol {@code rating_col}: the rating column
 * @param timestampCol {@code timestamp_col}: the timestamp column; {@code null} or empty = no timestamp.
 *     If set, the column must exist. Timestamps are integers (kept as given, normally epoch seconds) or
 *     ISO-8601 date-times (converted to epoch seconds, UTC when no offset is given); Parquet timestamp
 *     columns become epoch seconds. MovieLens inputs always read their fourth field as the timestamp.
 * @param delimiter {@code delimiter}: the field separator of text formats; {@code null} or empty = from
 *     the format ({@code ,} for csv, tab for tsv, {@code ::} or tab for MovieLens). {@code \t} (backslash, t)
 *     and {@code tab} mean a tab.
 * @param header {@code header}: text formats only; the first line of every file names the columns. When
 *     {@code false}, the column settings are 0-based field positions ({@code "0"}, {@code "1"}, ...); the
 *     default names {@code user}, {@code item}, {@code rating}, {@code timestamp} then stand for positions
 *     0, 1, 2, 3. MovieLens files never have a header and ignore the column settings.
 * @param minRating {@code min_rating}: smallest valid rating, inclusive; {@code -Infinity} = unbounded
 * @param maxRating {@code max_rating}: largest valid rating, inclusive; {@code +Infinity} = unbounded
 * @param badRows {@code bad_rows}: what to do with bad rows
 * @param maxBadFraction {@code max_bad_fraction}: under {@code skip} and {@code quarantine}, the largest
 *     allowed fraction (0..1) of bad rows among the rows read; more rejects the input. Note that 0.0 makes
 *     any bad row fatal even under {@code skip}.
 */
public record InputSpec(
    String format,
    String userCol, String itemCol, String ratingCol,
    String timestampCol,
    String delimiter,
    boolean header,
    double minRating, double maxRating,
    BadRowPolicy badRows, double maxBadFraction) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The accepted values of {@code format}. */
  public static final Set<String> FORMATS = Set.of("auto", "csv", "tsv", "parquet", "movielens");

  /** Checks the values once, so that reading never starts with a spec that cannot work. */
  public InputSpec {
    format = format == null || format.isBlank() ? "auto" : format.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw BlockalsException.usage("format must be one of auto, csv, tsv, parquet, movielens, got '" + format + "'");
    }
    userCol = requireColumn("user_col", userCol);
    itemCol = requireColumn("item_col", itemCol);
    // null (never from a config, only from withoutRating()): the input has (user, item) pairs and no rating
    ratingCol = ratingCol == null ? null : requireColumn("rating_col", ratingCol);
    timestampCol = timestampCol == null ? "" : timestampCol.trim();
    delimiter = delimiter == null ? "" : delimiter;
    if (Double.isNaN(minRating) || Double.isNaN(maxRating) || minRating > maxRating) {
      throw BlockalsException.usage("min_rating (" + minRating + ") must not be greater than max_rating ("
          + maxRating + ")");
    }
    if (badRows == null) {
      throw BlockalsException.usage("bad_rows must be one of fail, skip, quarantine");
    }
    if (!(maxBadFraction >= 0.0 && maxBadFraction <= 1.0)) {
      throw BlockalsException.usage("max_bad_fraction must be between 0 and 1, got " + maxBadFraction);
    }
  }

  /**
   * Format auto, columns {@code user}, {@code item}, {@code rating}, no timestamp, the format's delimiter,
   * header on, unbounded ratings, bad rows fail the input.
   */
  public static InputSpec defaults() {
    return new InputSpec("auto", "user", "item", "rating", "", "", true,
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, BadRowPolicy.FAIL, 0.0);
  }

  /** True when a timestamp column is configured. */
  public boolean hasTimestamp() {
    return !timestampCol.isEmpty();
  }

  public InputSpec withFormat(String newFormat) {
    return new InputSpec(newFormat, userCol, itemCol, ratingCol, timestampCol, delimiter, header, minRating,
        maxRating, badRows, maxBadFraction);
  }

  public InputSpec withColumns(String user, String item, String rating) {
    return new InputSpec(format, user, item, rating, timestampCol, delimiter, header, minRating, maxRating,
        badRows, maxBadFraction);
  }

  public InputSpec withTimestampCol(String ts) {
    return new InputSpec(format, userCol, itemCol, ratingCol, ts, delimiter, header, minRating, maxRating,
        badRows, maxBadFraction);
  }

  public InputSpec withDelimiter(String newDelimiter) {
    return new InputSpec(format, userCol, itemCol, ratingCol, timestampCol, newDelimiter, header, minRating,
        maxRating, badRows, maxBadFraction);
  }

  public InputSpec withHeader(boolean newHeader) {
    return new InputSpec(format, userCol, itemCol, ratingCol, timestampCol, delimiter, newHeader, minRating,
        maxRating, badRows, maxBadFraction);
  }

  public InputSpec withRatingRange(double min, double max) {
    return new InputSpec(format, userCol, itemCol, ratingCol, timestampCol, delimiter, header, min, max,
        badRows, maxBadFraction);
  }

  public InputSpec withBadRows(BadRowPolicy policy, double maxFraction) {
    return new InputSpec(format, userCol, itemCol, ratingCol, timestampCol, delimiter, header, minRating,
        maxRating, policy, maxFraction);
  }

  /**
   * The same input rules for (user, item) pairs with no rating column (pairs to score): every good row reads as
   * rating 0, and only the ids (and the timestamp, if set) are checked.
   */
  public InputSpec withoutRating() {
    return new InputSpec(format, userCol, itemCol, null, timestampCol, delimiter, header,
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, badRows, maxBadFraction);
  }

  /** False for pairs ({@link #withoutRating()}). */
  public boolean hasRating() {
    return ratingCol != null;
  }

  /** The delimiter setting with {@code \t} and {@code tab} turned into a tab; empty when not set. */
  String resolvedDelimiter() {
    if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) {
      return "\t";
    }
    return delimiter;
  }

  private static String requireColumn(String key, String value) {
    if (value == null || value.isBlank()) {
      throw BlockalsException.usage(key + " must not be empty");
    }
    return value.trim();
  }
}
