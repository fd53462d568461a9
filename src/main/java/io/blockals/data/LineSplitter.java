package io.blockals.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Splits one line of a delimited text file into fields. Pure Java, no Spark.
 *
 * <p>With quoting on (csv), a field that starts with {@code "} runs to the matching closing quote, may
 * contain the delimiter, and {@code ""} inside it stands for one quote (RFC 4180). Only spaces may follow a
 * closing quote before the next delimiter. A quoted field spanning lines is not supported: the line reader
 * has already cut it, so an unclosed quote is reported as an error of this line. A quote inside an unquoted
 * field is kept as an ordinary character. Fields are returned untrimmed.
 */
final class LineSplitter {
  /** The delimiters tried when a line or header does not split as expected. */
  static final List<String> COMMON_DELIMITERS = List.of(",", "\t", ";", "|", "::");

  private LineSplitter() {}

  /** The fields of a line, or why the line cannot be split. */
  record Split(List<String> fields, String error) {
    boolean ok() {
      return error == null;
    }
  }

  static Split split(String line, String delimiter, boolean quoting) {
    if (delimiter.isEmpty()) {
      throw new IllegalArgumentException("empty delimiter");
    }
    List<String> fields = new ArrayList<>();
    int n = line.length();
    int i = 0;
    while (true) {
      int start = i;
      while (start < n && line.charAt(start) == ' ') {
        start++;
      }
      if (quoting && start < n && line.charAt(start) == '"') {
        StringBuilder field = new StringBuilder();
        int k = start + 1;
        while (true) {
          if (k >= n) {
            return new Split(null, "quoted field " + (fields.size() + 1)
                + " is not closed on this line (quoted fields spanning lines are not supported)");
          }
          char c = line.charAt(k);
          if (c == '"') {
            if (k + 1 < n && line.charAt(k + 1) == '"') {
              field.append('"');
              k += 2;
            } else {
              k++;
              break;
            }
          } else {
            field.append(c);
            k++;
          }
        }
        while (k < n && line.charAt(k) == ' ') {
          k++;
        }
        fields.add(field.toString());
        if (k == n) {
          return new Split(fields, null);
        }
        if (!line.startsWith(delimiter, k)) {
          return new Split(null, "unexpected text after the closing quote of field " + fields.size());
        }
        i = k + delimiter.length();
      } else {
        int d = line.indexOf(delimiter, i);
        if (d < 0) {
          fields.add(line.substring(i));
          return new Split(fields, null);
        }
        fields.add(line.substring(i, d));
        i = d + delimiter.length();
      }
    }
  }

  /**
   * The first common delimiter other than {@code current} under which {@code line} splits into fields that
   * {@code fits} accepts, or {@code null}.
   */
  static String suggestDelimiter(String line, String current, boolean quoting, Predicate<List<String>> fits) {
    for (String candidate : COMMON_DELIMITERS) {
      if (candidate.equals(current) || !line.contains(candidate)) {
        continue;
      }
      Split s = split(line, candidate, quoting);
      if (s.ok() && fits.test(s.fields())) {
        return candidate;
      }
    }
    return null;
  }

  /** A delimiter as a user would type it in the config: a tab shows as {@code \t}. */
  static String display(String delimiter) {
    return delimiter.replace("\t", "\\t");
  }

  /** The "; did you mean ..." suffix for a suggestion, or an empty string. */
  static String hint(String suggestion) {
    return suggestion == null ? "" : "; did you mean delimiter '" + display(suggestion) + "'?";
  }
}
