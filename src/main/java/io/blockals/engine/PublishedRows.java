package io.blockals.engine;

import java.io.Serializable;

/**
 * Rows of a published factor table bound for one block of a warm start: ids, and per id {@code dim} values (the
 * features, then the bias when the run has biases), end to end.
 */
final class PublishedRows implements Serializable {
  private static final long serialVersionUID = 1L;

  final String[] ids;
  final float[] values;

  PublishedRows(String[] ids, float[] values) {
    this.ids = ids;
    this.values = values;
  }
}
