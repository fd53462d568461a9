package io.blockals.job;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The seen items of recommend's users, grouped on the executors: each rating's item id becomes the item's position
 * through a broadcast map (the model's items are few), and the (user, position) pairs are combined per user,
 * map-side first, in one shuffle into the partitions of the partitioner the user rows are partitioned by. A user's
 * seen items end up as a sorted array of distinct positions, the form {@link io.blockals.serve.BlockScorer} walks.
 *
 * <p>An item the model does not know is never recommended, so a rating of one is irrelevant and dropped. Repeated
 * (user, item) pairs count once. Users are matched by the text of their id; a user the caller has no row for is
 * dropped where the groups meet the user rows.
 */
final class SeenItems {
  private SeenItems() {}

  /** The item ids in position order, from {@link ServeBlocks#sortedItems} (one id per item reaches the driver). */
  static Object[] idsByPosition(JavaPairRDD<Row, Long> sorted) {
    // collect keeps partition order, the order zipWithIndex numbers the rows in
    List<Object> ids = sorted.keys().map(r -> r.get(0)).collect();
    return ids.toArray();
  }

  /** Each item's position by the text of its id (the form ratings give ids in). */
  static HashMap<String, Integer> positions(Object[] idsByPosition) {
    HashMap<String, Integer> m = new HashMap<>(idsByPosition.length * 2);
    for (int p = 0; p < idsByPosition.length; p++) {
      m.put(idsByPosition[p].toString(), p);
    }
    return m;
  }

  /**
   * (user id, sorted distinct positions of the user's seen model items) of {@code ratings}, rows whose fields 0 and 1
   * are the user and item ids as text, partitioned by {@code partitioner}. Users without a model item have no entry.
   */
  static JavaPairRDD<String, int[]> byUser(JavaRDD<Row> ratings, Broadcast<? extends Map<String, Integer>> positions,
      Partitioner partitioner) {
    return ratings
        .mapToPair(r -> new Tuple2<>(r.getString(0), positions.value().get(r.getString(1))))
        .filter(t -> t._2 != null)
        .combineByKey(Positions::of, Positions::add, Positions::merge, partitioner)
        .mapValues(Positions::sortedDistinct);
  }

  /** The sorted distinct union of two position arrays, either of which may be null (null when both are). */
  static int[] union(int[] a, int[] b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return sortedDistinct(all, all.length);
  }

  /** The first {@code n} values of {@code a}, sorted with repeats removed; {@code a} is sorted in place. */
  static int[] sortedDistinct(int[] a, int n) {
    Arrays.sort(a, 0, n);
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m == 0 || a[i] != a[m - 1]) {
        a[m++] = a[i];
      }
    }
    return Arrays.copyOf(a, m);
  }

  /** One user's positions as they are gathered: a growing array, in arrival order, repeats kept. */
  static final class Positions implements Serializable {
    private static final long serialVersionUID = 1L;
    private int[] values;
    private int size;

    private Positions(int[] values, int size) {
      this.values = values;
      this.size = size;
    }

    static Positions of(int position) {
      return new Positions(new int[] {position, 0, 0, 0}, 1);
    }

    Positions add(int position) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = position;
      return this;
    }

    Positions merge(Positions o) {
      if (size + o.size > values.length) {
        values = Arrays.copyOf(values, Math.max(size + o.size, size * 2));
      }
      System.arraycopy(o.values, 0, values, size, o.size);
      size += o.size;
      return this;
    }

    int[] sortedDistinct() {
      return SeenItems.sortedDistinct(values, size);
    }
  }
}
