package io.blockals.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;

/**
 * What the ratings a model was trained on look like: how many, how the values are distributed, and how activity
 * spreads over users and items. Computed from the set-up blocks (one small Spark job, two when the values are not
 * on a half-star grid), so it describes exactly the ratings training used: after de-duplication, without rejected
 * rows and without the validation pairs.
 *
 * @param users users with at least one rating
 * @param items items with at least one rating
 * @param ratings ratings used
 * @param ratingHistogram one bin per distinct value when every value is a multiple of 0.5 and there are at most
 *     {@value #MAX_DISTINCT} of them (star ratings, counts up to 32), else {@value #VALUE_BINS} equal-width bins from
 *     the smallest to the largest value
 * @param ratingsPerUser users by number of ratings, in powers-of-two bins [1, 1], [2, 3], [4, 7], ...
 * @param ratingsPerItem items by number of ratings, in the same bins
 */
public record DataProfile(long users, long items, long ratings, List<Bin> ratingHistogram,
    List<Bin> ratingsPerUser, List<Bin> ratingsPerItem) implements Serializable {

  /** At most this many distinct values get a bin each. */
  public static final int MAX_DISTINCT = 64;
  /** Bins of the value histogram when values are not on a small half-step grid. */
  public static final int VALUE_BINS = 20;

  /**
   * One bar of a histogram: {@code count} of something between {@code from} and {@code to}, both included (equal
   * for a bin of one value). Equal-width value bins are closed on the left and open on the right, but the last.
   */
  public record Bin(double from, double to, long count) implements Serializable {}

  public DataProfile {
    ratingHistogram = List.copyOf(ratingHistogram);
    ratingsPerUser = List.copyOf(ratingsPerUser);
    ratingsPerItem = List.copyOf(ratingsPerItem);
  }

  /** Ratings over cells: the share of the user x item matrix that is known. */
  public double density() {
    return users == 0 || items == 0 ? 0 : ratings / ((double) users * items);
  }

  /**
   * The profile under the snake_case keys model.json uses, with the compression a rank-{@code rank} model gives:
   * {@code cells} = users x items against {@code numbers} = rank x (users + items) (biases, when learned, add
   * users + items + 1).
   */
  public Map<String, Object> toJson(int rank, boolean biases) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("users", users);
    m.put("items", items);
    m.put("ratings", ratings);
    m.put("density", density());
    m.put("rating_histogram", bins(ratingHistogram, "ratings"));
    m.put("ratings_per_user", bins(ratingsPerUser, "users"));
    m.put("ratings_per_item", bins(ratingsPerItem, "items"));
    Map<String, Object> c = new LinkedHashMap<>();
    double cells = (double) users * items;
    double numbers = (double) rank * (users + items) + (biases ? users + items + 1 : 0);
    c.put("cells", cells);
    c.put("numbers", numbers);
    c.put("ratio", numbers == 0 ? 0 : cells / numbers);
    m.put("compression", c);
    return m;
  }

  private static List<Map<String, Object>> bins(List<Bin> bins, String what) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Bin b : bins) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", b.from);
      m.put("to", b.to);
      m.put(what, b.count);
      out.add(m);
    }
    return out;
  }

  /** Profiles the blocks of a fit (both RDDs cached, as {@link AlsResult} keeps them). */
  static DataProfile of(JavaRDD<SideBlock> userBlocks, JavaRDD<SideBlock> itemBlocks) {
    List<Partial> parts = userBlocks.map(b -> Partial.of(0, b)).union(itemBlocks.map(b -> Partial.of(1, b)))
        .collect();
    Partial users = Partial.merge(parts, 0);
    Partial items = Partial.merge(parts, 1);
    List<Bin> histogram;
    if (!users.offGrid) {
      histogram = new ArrayList<>();
      for (int v = 0; v < users.values.length; v++) {
        histogram.add(new Bin(users.values[v], users.values[v], users.valueCounts[v]));
      }
    } else {
      float lo = users.min;
      float hi = users.max;
      long[] counts = userBlocks.map(b -> equalWidth(b, lo, hi)).reduce(DataProfile::add);
      histogram = new ArrayList<>();
      double width = ((double) hi - lo) / VALUE_BINS;
      for (int k = 0; k < VALUE_BINS; k++) {
        histogram.add(new Bin(lo + k * width, k == VALUE_BINS - 1 ? hi : lo + (k + 1) * width, counts[k]));
      }
    }
    return new DataProfile(users.rows, items.rows, users.ratings, histogram, logBins(users.rowBins),
        logBins(items.rowBins));
  }

  /** Bin {@code k} holds rows with 2^k to 2^(k+1) - 1 ratings; trailing empty bins are left out. */
  private static List<Bin> logBins(long[] counts) {
    int last = counts.length - 1;
    while (last >= 0 && counts[last] == 0) {
      last--;
    }
    List<Bin> out = new ArrayList<>();
    for (int k = 0; k <= last; k++) {
      out.add(new Bin(1L << k, (1L << (k + 1)) - 1, counts[k]));
    }
    return out;
  }

  static int logBin(int n) {
    return 31 - Integer.numberOfLeadingZeros(n);
  }

  private static long[] equalWidth(SideBlock b, float lo, float hi) {
    long[] counts = new long[VALUE_BINS];
    double width = ((double) hi - lo) / VALUE_BINS;
    for (int j = 0; j < b.numRatings(); j++) {
      int k = width == 0 ? 0 : (int) ((b.value[j] - lo) / width);
      counts[Math.min(VALUE_BINS - 1, Math.max(0, k))]++;
    }
    return counts;
  }

  private static long[] add(long[] a, long[] b) {
    long[] out = a.clone();
    for (int k = 0; k < b.length; k++) {
      out[k] += b[k];
    }
    return out;
  }

  /** One block's share of the profile; shipped as a task result (registered with Kryo). */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    int side;
    long rows;
    long ratings;
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    /** True once a value is not a multiple of 0.5 or there are more than {@value #MAX_DISTINCT} of them. */
    boolean offGrid;
    /** Distinct values, ascending, and how often each occurs (empty when off the grid). */
    float[] values = new float[0];
    long[] valueCounts = new long[0];
    /** Rows by number of ratings, in powers-of-two bins. */
    long[] rowBins = new long[32];

    static Partial of(int side, SideBlock b) {
      Partial p = new Partial();
      p.side = side;
      p.rows = b.numRows();
      p.ratings = b.numRatings();
      for (int r = 0; r < b.numRows(); r++) {
        int n = b.rowPtr[r + 1] - b.rowPtr[r];
        if (n > 0) {
          p.rowBins[logBin(n)]++;
        }
      }
      if (side == 0) {
        TreeMap<Float, Long> distinct = new TreeMap<>();
        for (int j = 0; j < b.numRatings(); j++) {
          float v = b.value[j];
          p.min = Math.min(p.min, v);
          p.max = Math.max(p.max, v);
          if (!p.offGrid) {
            if (v * 2 != Math.rint(v * 2)) {
              p.offGrid = true;
            } else {
              distinct.merge(v, 1L, Long::sum);
              p.offGrid = distinct.size() > MAX_DISTINCT;
            }
          }
        }
        p.setDistinct(p.offGrid ? new TreeMap<>() : distinct);
      }
      return p;
    }

    private void setDistinct(TreeMap<Float, Long> distinct) {
      values = new float[distinct.size()];
      valueCounts = new long[distinct.size()];
      int k = 0;
      for (Map.Entry<Float, Long> e : distinct.entrySet()) {
        values[k] = e.getKey();
        valueCounts[k++] = e.getValue();
      }
    }

    static Partial merge(List<Partial> parts, int side) {
      Partial out = new Partial();
      out.side = side;
      TreeMap<Float, Long> distinct = new TreeMap<>();
      for (Partial p : parts) {
        if (p.side != side) {
          continue;
        }
        out.rows += p.rows;
        out.ratings += p.ratings;
        out.min = Math.min(out.min, p.min);
        out.max = Math.max(out.max, p.max);
        out.offGrid |= p.offGrid;
        for (int k = 0; k < p.values.length; k++) {
          distinct.merge(p.values[k], p.valueCounts[k], Long::sum);
        }
        for (int k = 0; k < out.rowBins.length; k++) {
          out.rowBins[k] += p.rowBins[k];
        }
      }
      out.offGrid |= distinct.size() > MAX_DISTINCT;
      out.setDistinct(out.offGrid ? new TreeMap<>() : distinct);
      return out;
    }
  }
}
