package io.blockals.bench;

import java.util.List;
import java.util.Locale;

/** The printed and the Markdown form of a finished run: settings, machine, the command, both tables. */
public final class BenchReport {
  private BenchReport() {}

  /**
   * Where the numbers came from.
   *
   * @param master the Spark master URL
   * @param cores tasks that run at once (the session's default parallelism)
   * @param maxHeapBytes the JVM's maximum heap
   * @param java Java version and VM
   * @param os operating system and architecture
   * @param spark Spark version
   */
  public record Machine(String master, int cores, long maxHeapBytes, String java, String os, String spark) {
    /** This JVM. */
    public static Machine current(String master, int cores, String sparkVersion) {
      return new Machine(master, cores, Runtime.getRuntime().maxMemory(),
          System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
          System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
              + Runtime.getRuntime().availableProcessors() + " processors",
          sparkVersion);
    }
  }

  /** The settings line shared by both forms. */
  static String settings(BenchConfig cfg) {
    return String.format(Locale.ROOT,
        "iterations %d, reg_param %s (ALS-WR), %d timed round(s), plain Java ALS in %d round(s), blockals biases %s, "
            + "seed %d; data: users = ratings/%d, items = ratings/%d, Zipf %.1f, user skew %.1f, planted rank %d, "
            + "noise %.1f, %d%% of each user's latest ratings held out",
        cfg.iterations(), cfg.reg(), cfg.rounds(), Math.min(cfg.plainRounds(), cfg.rounds()),
        cfg.biases() ? "on" : "off", cfg.seed(), BenchConfig.RATINGS_PER_USER, BenchConfig.RATINGS_PER_ITEM,
        BenchRunner.ITEM_ZIPF, BenchRunner.USER_SKEW, BenchRunner.PLANTED_RANK, BenchRunner.NOISE,
        Math.round(BenchRunner.TEST_FRACTION * 100));
  }

  static String machine(Machine m) {
    return String.format(Locale.ROOT, "master %s (%d cores for tasks), max heap %.1f GB, Java %s, %s, Spark %s",
        m.master(), m.cores(), m.maxHeapBytes() / (1024.0 * 1024 * 1024), m.java(), m.os(), m.spark());
  }

  /** For the terminal. */
  public static String text(BenchConfig cfg, Machine m, List<BenchRow> rows) {
    return "blockals vs Spark MLlib ALS: " + settings(cfg) + "\n" + machine(m) + "\n\n"
        + BenchTable.summary(rows).toText() + "\nSeconds per round:\n" + BenchTable.rounds(rows).toText();
  }

  /** A Markdown section that docs/benchmarks.md can take as it is. */
  public static String markdown(BenchConfig cfg, Machine m, String command, List<BenchRow> rows) {
    return "## blockals vs Spark MLlib ALS\n\n"
        + "Command: `" + command + "`\n\n"
        + "Settings: " + settings(cfg) + ".\n\n"
        + "Machine: " + machine(m) + ".\n\n"
        + "Medians of the timed rounds; \"MLlib best\" is MLlib's faster block setting; ratios below 1 mean blockals "
        + "is faster. Fit seconds exclude data generation and caching (every engine reads a cached input). \"blockals\" "
        + "reads string ids, its own input; \"blockals int ids\" reads the int-id table MLlib reads (the same ids, "
        + "indices of the generator), so that column compares the two engines on one input.\n\n"
        + BenchTable.summary(rows).toMarkdown()
        + "\n### Seconds per round\n\n"
        + BenchTable.rounds(rows).toMarkdown();
  }

  /** The implicit benchmark's settings line. */
  static String implicitSettings(BenchConfig cfg, ImplicitBench.Settings set) {
    return String.format(Locale.ROOT,
        "implicit feedback (c = 1 + alpha * count, no biases), iterations %d, reg_param %s (scaled by the row's "
            + "count), %d timed round(s), seed %d; recall@%d of each user's held-out items with the user's train "
            + "items left out, every item ranked; data: play counts, users = ratings/%d, items = ratings/%d, Zipf "
            + "%.1f, user skew %.1f, planted rank %d, %d%% of each user's latest counts held out",
        cfg.iterations(), cfg.reg(), cfg.rounds(), cfg.seed(), set.k(), BenchConfig.RATINGS_PER_USER,
        BenchConfig.RATINGS_PER_ITEM, BenchRunner.ITEM_ZIPF, BenchRunner.USER_SKEW, BenchRunner.PLANTED_RANK,
        Math.round(BenchRunner.TEST_FRACTION * 100));
  }

  /** The implicit benchmark for the terminal. */
  public static String implicitText(BenchConfig cfg, ImplicitBench.Settings set, Machine m,
      List<ImplicitBench.Figures> rows) {
    return "blockals vs Spark MLlib ALS, " + implicitSettings(cfg, set) + "\n" + machine(m) + "\n\n"
        + BenchTable.implicitSummary(rows).toText() + "\nSeconds per round:\n"
        + BenchTable.implicitRounds(rows).toText();
  }

  /** The implicit benchmark as a Markdown section. */
  public static String implicitMarkdown(BenchConfig cfg, ImplicitBench.Settings set, Machine m, String command,
      List<ImplicitBench.Figures> rows) {
    return "## blockals vs Spark MLlib ALS, implicit feedback\n\n"
        + "Command: `" + command + "`\n\n"
        + "Settings: " + implicitSettings(cfg, set) + ".\n\n"
        + "Machine: " + machine(m) + ".\n\n"
        + "Medians of the timed rounds; recall from each engine's first round (the fits are deterministic); ratios "
        + "below 1 mean blockals is faster.\n\n"
        + BenchTable.implicitSummary(rows).toMarkdown()
        + "\n### Seconds per round\n\n"
        + BenchTable.implicitRounds(rows).toMarkdown();
  }
}
