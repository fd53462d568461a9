package io.blockals.data;

import java.util.Locale;

/** Why a row was rejected; {@link #code()} is the key used in reports and in the rejects files. */
enum BadRowReason {
  /** A field is empty or absent (too few fields), or a Parquet rating or timestamp is null. */
  MISSING_FIELD,
  /** More fields than the header (or first line) has. */
  EXTRA_FIELDS,
  /** An empty or null user or item id. */
  EMPTY_ID,
  /** The rating is not a decimal number. */
  NOT_A_NUMBER,
  /** The rating is NaN or infinite. */
  NOT_FINITE,
  /** The rating is outside [min_rating, max_rating]. */
  OUT_OF_RANGE,
  /** The timestamp is neither an integer nor an ISO-8601 date-time. */
  BAD_TIMESTAMP,
  /** A csv quote is not closed on its line or is followed by other text. */
  MALFORMED_QUOTE;

  String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
