package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The training data's profile against counts taken directly from the ratings the test made. */
class DataProfileIT extends SparkTestBase {

  /**
   * Star ratings with heavy-tailed activity: user u rates the first 1 + (97 * u) % 61 items of a per-user rotation
   * (so from 1 to 61 ratings), value (u + i) % 10 / 2 + 0.5 (the half-star grid 0.5 .. 5); and one duplicate pair
   * that the engine keeps once.
   */
  @Test
  void starRatingsGetOneBinPerValueAndActivityInPowersOfTwo() {
    List<String> users = new ArrayList<>();
    List<String> items = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Map<String, Double> cells = new HashMap<>();
    for (int u = 0; u < 120; u++) {
      int n = 1 + (97 * u) % 61;
      for (int k = 0; k < n; k++) {
        int i = (k + 7 * u) % 80;
        double v = ((u + i) % 10) / 2.0 + 0.5;
        users.add("u" + u);
        items.add("i" + i);
        values.add(v);
        cells.put("u" + u + "/i" + i, v);
      }
    }
    // A repeat of the first rating with another value: duplicates = latest keeps this one.
    users.add("u0");
    items.add("i0");
    values.add(5.0);
    cells.put("u0/i0", 5.0);

    AlsResult r = BlockAls.fit(EngineFixtures.ratings(spark, users, items, values, 3),
        EngineFixtures.params(2, 1, 0.1, true, 3, 2), (s, max) -> { });
    try {
      DataProfile p = r.dataProfile();
      TreeMap<Double, Long> byValue = new TreeMap<>();
      Map<String, Integer> perUser = new HashMap<>();
      Map<String, Integer> perItem = new HashMap<>();
      for (Map.Entry<String, Double> c : cells.entrySet()) {
        byValue.merge(c.getValue(), 1L, Long::sum);
        String[] ui = c.getKey().split("/");
        perUser.merge(ui[0], 1, Integer::sum);
        perItem.merge(ui[1], 1, Integer::sum);
      }
      assertThat(p.ratings()).isEqualTo(cells.size());
      assertThat(p.users()).isEqualTo(perUser.size());
      assertThat(p.items()).isEqualTo(perItem.size());
      assertThat(p.density()).isEqualTo(cells.size() / (120.0 * perItem.size()));

      List<DataProfile.Bin> expected = new ArrayList<>();
      byValue.forEach((v, n) -> expected.add(new DataProfile.Bin(v, v, n)));
      assertThat(p.ratingHistogram()).containsExactlyElementsOf(expected);
      assertThat(p.ratingsPerUser()).containsExactlyElementsOf(powersOfTwo(perUser));
      assertThat(p.ratingsPerItem()).containsExactlyElementsOf(powersOfTwo(perItem));
    } finally {
      r.unpersist();
    }
  }

  /**
   * Values off the half-star grid: 20 equal-width bins from the smallest (0) to the largest (20), so bin k is
   * [k, k + 1) and the last one also holds 20. Values k + 0.25 and k + 0.75 lie far from every edge.
   */
  @Test
  void continuousValuesGetTwentyEqualBins() {
    List<String> users = new ArrayList<>();
    List<String> items = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    long[] expected = new long[20];
    for (int j = 0; j < 400; j++) {
      double v = j == 0 ? 0.0 : j == 1 ? 20.0 : (j * 7) % 20 + (j % 2 == 0 ? 0.25 : 0.75);
      users.add("u" + (j % 50));
      items.add("i" + (j / 50) + "_" + j);
      values.add(v);
      expected[Math.min(19, (int) Math.floor(v))]++;
    }
    AlsResult r = BlockAls.fit(EngineFixtures.ratings(spark, users, items, values, 2),
        EngineFixtures.params(2, 1, 0.1, true, 2, 2), (s, max) -> { });
    try {
      List<DataProfile.Bin> bins = r.dataProfile().ratingHistogram();
      assertThat(bins).hasSize(DataProfile.VALUE_BINS);
      for (int k = 0; k < 20; k++) {
        assertThat(bins.get(k).from()).as("bin %d from", k).isEqualTo(k);
        assertThat(bins.get(k).to()).as("bin %d to", k).isEqualTo(k + 1);
        assertThat(bins.get(k).count()).as("bin %d", k).isEqualTo(expected[k]);
      }
    } finally {
      r.unpersist();
    }
  }

  /** Bins [1, 1], [2, 3], [4, 7], ... up to the last non-empty one, counted directly. */
  private static List<DataProfile.Bin> powersOfTwo(Map<String, Integer> counts) {
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<DataProfile.Bin> out = new ArrayList<>();
    for (long from = 1; from <= max; from *= 2) {
      long lo = from;
      long hi = 2 * from - 1;
      long n = counts.values().stream().filter(c -> c >= lo && c <= hi).count();
      out.add(new DataProfile.Bin(lo, hi, n));
    }
    return out;
  }
}
