package io.blockals.data;

import java.io.Serializable;

/**
 * How to cut the lines of one text file into the rating fields, fixed on the driver from the spec and the
 * file's first line, and shipped to the tasks.
 */
final class TextLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int USER = 0;
  static final int ITEM = 1;
  static final int RATING = 2;
  static final int TS = 3;

  final String delimiter;
  final boolean quoting;
  /** The line at byte offset 0 is a header and not data. */
  final boolean header;
  /** Field position of user, item, rating, timestamp; -1 for no timestamp. */
  final int[] positions;
  /** Column names used in messages, by role. */
  final String[] labels;
  /** The number of fields every data line must have. */
  final int expectedFields;

  TextLayout(String delimiter, boolean quoting, boolean header, int[] positions, String[] labels,
      int expectedFields) {
    this.delimiter = delimiter;
    this.quoting = quoting;
    this.header = header;
    this.positions = positions.clone();
    this.labels = labels.clone();
    this.expectedFields = expectedFields;
  }

  /** The smallest field count that reaches every configured position. */
  static int requiredFields(int[] positions) {
    int max = -1;
    for (int p : positions) {
      max = Math.max(max, p);
    }
    return max + 1;
  }
}
