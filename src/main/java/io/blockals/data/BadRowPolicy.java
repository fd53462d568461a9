package io.blockals.data;

import io.blockals.BlockalsException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@link RatingsReader} does with rows it cannot use (config key {@code bad_rows}).
 *
 * <ul>
 *   <li>{@link #FAIL}: any bad row rejects the whole input (exit code 3) with the first bad row in file order.
 *   <li>{@link #SKIP}: bad rows are dropped and counted, as long as their fraction stays within
 *       {@code max_bad_fraction}.
 *   <li>{@link #QUARANTINE}: like {@code SKIP}, and the caller writes the rejected rows next to the model with
 *       {@link RatingsInput#writeRejects(String)}.
 * </ul>
 */
public enum BadRowPolicy {
  FAIL, SKIP, QUARANTINE;

  /** Parses a policy name case-insensitively; anything else is a usage error that lists the valid names. */
  public static BadRowPolicy parse(String s) {
    if (s != null) {
      String wanted = s.trim().toUpperCase(Locale.ROOT);
      for (BadRowPolicy p : values()) {
        if (p.name().equals(wanted)) {
          return p;
        }
      }
    }
    throw BlockalsException.usage("bad_rows must be one of " + validNames() + ", got '" + s + "'");
  }

  /** The config spelling of this policy, e.g. {@code skip}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static String validNames() {
    return Arrays.stream(values()).map(BadRowPolicy::configName).collect(Collectors.joining(", "));
  }
}
