package io.blockals.engine;

import java.io.Serializable;

/**
 * The ratings one input partition sends to one user block in the first set-up shuffle. Columns as arrays rather than
 * one object per rating: far less to serialize, and the builder works on arrays anyway.
 */
final class RatingBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Marks a missing timestamp; sorts before every real one. */
  static final long NO_TIMESTAMP = Long.MIN_VALUE;

  final String[] user;
  final String[] item;
  final float[] rating;
  final long[] ts;
  final long[] ord;
  int size;

  RatingBatch(int capacity) {
    user = new String[capacity];
    item = new String[capacity];
    rating = new float[capacity];
    ts = new long[capacity];
    ord = new long[capacity];
  }

  RatingBatch(String[] user, String[] item, float[] rating, long[] ts, long[] ord) {
    this.user = user;
    this.item = item;
    this.rating = rating;
    this.ts = ts;
    this.ord = ord;
    this.size = user.length;
  }

  boolean isFull() {
    return size == user.length;
  }

  void add(String u, String i, float r, long t, long o) {
    user[size] = u;
    item[size] = i;
    rating[size] = r;
    ts[size] = t;
    ord[size] = o;
    size++;
  }
}
