package io.blockals.bench;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run measures, validated once before Spark starts.
 *
 * @param sizes total ratings (train and test together) of each generated data set
 * @param ranks the ranks fitted on every size
 * @param iterations ALS iterations of every fit (all engines)
 * @param reg regParam of every fit (ALS-WR: lambda times the row's rating count, in all engines)
 * @param rounds timed rounds per (size, rank); each round runs every engine once, alternately
 * @param plainRounds rounds in which the single-threaded plain-Java ALS also runs (0 = never; it is slow at rank 64)
 * @param blocks blockals user and item blocks, 0 = the session's default parallelism (the engine's own default)
 * @param partitions partitions of the cached input, 0 = twice the default parallelism
 * @param biases blockals learns biases (the planted data has them; MLlib has none)
 * @param warmup one short untimed fit of each engine first, so round 1 does not pay for class loading and the JIT
 * @param intIds blockals also fits, in every round, the table MLlib gets (int ids), besides its own (string ids)
 * @param seed generator and model seed
 * @param solver the blockals solver (auto, cholesky, cg), to measure where CG starts to pay
 */
public record BenchConfig(List<Long> sizes, List<Integer> ranks, int iterations, double reg, int rounds,
    int plainRounds, int blocks, int partitions, boolean biases, boolean warmup, boolean intIds, long seed,
    String solver) {

  /** Users per rating and items per rating of the generated data: an average user rates 40 items, an item 150. */
  public static final int RATINGS_PER_USER = 40;
  public static final int RATINGS_PER_ITEM = 150;

  public BenchConfig {
    sizes = List.copyOf(sizes);
    ranks = List.copyOf(ranks);
    if (sizes.isEmpty()) {
      throw BlockalsException.usage("--sizes must name at least one size, e.g. --sizes 1m,3m");
    }
    for (long s : sizes) {
      if (s < 1000 || s > 1_000_000_000L) {
        throw BlockalsException.usage("--sizes: " + s + " ratings is outside 1k..1000m");
      }
    }
    if (ranks.isEmpty()) {
      throw BlockalsException.usage("--ranks must name at least one rank, e.g. --ranks 10,64");
    }
    for (int r : ranks) {
      if (r < 1 || r > 1000) {
        throw BlockalsException.usage("--ranks: rank " + r + " is outside 1..1000");
      }
    }
    if (iterations < 1) {
      throw BlockalsException.usage("--iterations must be at least 1, got " + iterations);
    }
    if (!(reg > 0) || !Double.isFinite(reg)) {
      throw BlockalsException.usage("--reg must be a finite number > 0, got " + reg);
    }
    if (rounds < 1) {
      throw BlockalsException.usage("--rounds must be at least 1, got " + rounds);
    }
    if (plainRounds < 0) {
      throw BlockalsException.usage("--plain-rounds must be >= 0, got " + plainRounds);
    }
    if (blocks < 0 || partitions < 0) {
      throw BlockalsException.usage("--blocks and --partitions must be >= 0 (0 = from the number of cores)");
    }
  }

  /**
   * Parses a list like {@code 100k,1m,2.5m,3000000} (suffix k = thousand, m = million, case-insensitive).
   *
   * @throws BlockalsException a usage error naming the bad entry
   */
  public static List<Long> parseSizes(String text) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String s = part.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      double scale = 1;
      if (s.endsWith("k")) {
        scale = 1e3;
        s = s.substring(0, s.length() - 1);
      } else if (s.endsWith("m")) {
        scale = 1e6;
        s = s.substring(0, s.length() - 1);
      }
      try {
        double v = Double.parseDouble(s) * scale;
        if (!(v >= 1) || v != Math.rint(v)) {
          throw new NumberFormatException();
        }
        out.add((long) v);
      } catch (NumberFormatException e) {
        throw BlockalsException.usage("--sizes: '" + part.trim() + "' is not a number of ratings like 300k or 1m");
      }
    }
    if (out.isEmpty()) {
      throw BlockalsException.usage("--sizes must name at least one size, e.g. --sizes 1m,3m");
    }
    return out;
  }

  /** Parses a comma-separated list of ranks. */
  public static List<Integer> parseRanks(String text) {
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      try {
        out.add(Integer.parseInt(s));
      } catch (NumberFormatException e) {
        throw BlockalsException.usage("--ranks: '" + s + "' is not an integer rank");
      }
    }
    return out;
  }

  /** {@code 100000 -> "100k"}, {@code 3000000 -> "3M"}, {@code 2500000 -> "2.5M"}. */
  public static String sizeLabel(long ratings) {
    if (ratings >= 1_000_000 && ratings % 100_000 == 0) {
      return trim(ratings / 1e6) + "M";
    }
    if (ratings >= 1000 && ratings % 100 == 0) {
      return trim(ratings / 1e3) + "k";
    }
    return Long.toString(ratings);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
