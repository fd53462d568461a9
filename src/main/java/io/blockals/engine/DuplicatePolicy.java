package io.blockals.engine;

import io.blockals.BlockalsException;
import java.util.Locale;

/**
 * What to do when the input holds the same (user, item) pair more than once (config key {@code duplicates}).
 * "Latest" is the default because a re-rating supersedes the old one; when timestamps tie or are absent the later
 * row in file order wins.
 */
public enum DuplicatePolicy {
  /** Keep the rating with the latest timestamp, ties (and no timestamp) broken by the later position in the input. */
  LATEST,
  /** Keep the rating with the earliest timestamp, ties broken by the earlier position in the input. */
  FIRST,
  /** Add the values up (play counts, clicks: implicit feedback). */
  SUM,
  /** Reject the input (exit code 3) at the first duplicate. */
  FAIL;

  public static DuplicatePolicy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw BlockalsException.usage("duplicates = '" + s + "' is not one of latest, first, sum, fail");
    }
  }
}
