package io.blockals.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns {@link BenchRow}s into the side-by-side table and the per-round table. */
public final class BenchTable {
  private BenchTable() {}

  /** One row per (size, rank): medians, ratios, RMSE and peak heap of every engine. */
  public static TextTable summary(List<BenchRow> rows) {
    int coresBlocks = rows.isEmpty() ? 0 : rows.get(0).mllibCoresBlocks();
    int dfltBlocks = rows.isEmpty() ? 10 : rows.get(0).mllibDefaultBlocks();
    TextTable t = new TextTable(List.of("size", "train ratings", "rank", "blockals s",
        "MLlib " + dfltBlocks + " blocks s", "MLlib " + coresBlocks + " blocks s", "blockals/MLlib best",
        "plain 1-thread s", "blockals/plain", "blockals int ids s", "int ids/MLlib best", "int ids/plain",
        "RMSE blockals", "RMSE blockals int ids", "RMSE MLlib best", "RMSE plain", "noise floor",
        "peak heap blockals MB", "peak heap MLlib MB"));
    for (BenchRow r : rows) {
      t.add(List.of(r.size(), Long.toString(r.trainRatings()), Integer.toString(r.rank()),
          seconds(r.blockalsMedian()), seconds(r.mllibDefaultMedian()), seconds(r.mllibCoresMedian()),
          ratio(r.ratioToMllib()), seconds(r.plainMedian()), ratio(r.ratioToPlain()), seconds(r.blockalsIntMedian()),
          ratio(r.intRatioToMllib()), ratio(r.intRatioToPlain()), rmse(r.blockalsRmse()), rmse(r.blockalsIntRmse()),
          rmse(r.mllibBestRmse()), rmse(r.plainRmse()), rmse(r.noiseFloor()), megabytes(r.blockalsPeakHeap()),
          megabytes(r.mllibPeakHeap())));
    }
    return t;
  }

  /** Every timed round, so a reader can see the spread behind each median. */
  public static TextTable rounds(List<BenchRow> rows) {
    int most = 0;
    for (BenchRow r : rows) {
      most = Math.max(most, r.blockalsSeconds().length);
    }
    List<String> headers = new ArrayList<>(List.of("size", "rank", "engine"));
    for (int k = 1; k <= most; k++) {
      headers.add("round " + k + " s");
    }
    headers.add("median s");
    TextTable t = new TextTable(headers, 3);
    for (BenchRow r : rows) {
      addRounds(t, r, "blockals (" + r.blockalsBlocks() + " blocks)", r.blockalsSeconds(), most);
      if (hasAny(r.blockalsIntSeconds())) {
        addRounds(t, r, "blockals, int ids (" + r.blockalsBlocks() + " blocks)", r.blockalsIntSeconds(), most);
      }
      addRounds(t, r, "MLlib (" + r.mllibDefaultBlocks() + " blocks)", r.mllibDefaultSeconds(), most);
      if (hasAny(r.mllibCoresSeconds())) {
        addRounds(t, r, "MLlib (" + r.mllibCoresBlocks() + " blocks)", r.mllibCoresSeconds(), most);
      }
      if (hasAny(r.plainSeconds())) {
        addRounds(t, r, "plain Java, 1 thread", r.plainSeconds(), most);
      }
    }
    return t;
  }

  /** One row per (size, rank, alpha) of the implicit benchmark: medians, ratios and recall of every engine. */
  public static TextTable implicitSummary(List<ImplicitBench.Figures> rows) {
    int coresBlocks = rows.isEmpty() ? 0 : rows.get(0).mllibCoresBlocks();
    int dfltBlocks = rows.isEmpty() ? 10 : rows.get(0).mllibDefaultBlocks();
    int k = rows.isEmpty() ? 20 : rows.get(0).k();
    TextTable t = new TextTable(List.of("size", "train counts", "rank", "alpha", "blockals s",
        "MLlib " + dfltBlocks + " blocks s", "MLlib " + coresBlocks + " blocks s", "blockals/MLlib best",
        "blockals int ids s", "int ids/MLlib best", "recall@" + k + " blockals", "recall@" + k + " blockals int ids",
        "recall@" + k + " MLlib " + dfltBlocks + " blocks", "recall@" + k + " MLlib " + coresBlocks + " blocks",
        "recall@" + k + " by popularity", "users scored"));
    for (ImplicitBench.Figures r : rows) {
      t.add(List.of(r.size(), Long.toString(r.trainRatings()), Integer.toString(r.rank()), alpha(r.alpha()),
          seconds(r.blockalsMedian()), seconds(r.mllibDefaultMedian()), seconds(r.mllibCoresMedian()),
          ratio(r.ratioToMllib()), seconds(r.blockalsIntMedian()), ratio(r.intRatioToMllib()),
          rmse(r.blockalsRecall()), rmse(r.blockalsIntRecall()), rmse(r.mllibDefaultRecall()),
          rmse(r.mllibCoresRecall()), rmse(r.popularityRecall()), Long.toString(r.evaluatedUsers())));
    }
    return t;
  }

  /** Every timed round of the implicit benchmark. */
  public static TextTable implicitRounds(List<ImplicitBench.Figures> rows) {
    int most = 0;
    for (ImplicitBench.Figures r : rows) {
      most = Math.max(most, r.blockalsSeconds().length);
    }
    List<String> headers = new ArrayList<>(List.of("size", "rank", "alpha", "engine"));
    for (int k = 1; k <= most; k++) {
      headers.add("round " + k + " s");
    }
    headers.add("median s");
    TextTable t = new TextTable(headers, 4);
    for (ImplicitBench.Figures r : rows) {
      List<String> key = List.of(r.size(), Integer.toString(r.rank()), alpha(r.alpha()));
      addRounds(t, key, "blockals (" + r.blockalsBlocks() + " blocks)", r.blockalsSeconds(), most);
      if (hasAny(r.blockalsIntSeconds())) {
        addRounds(t, key, "blockals, int ids (" + r.blockalsBlocks() + " blocks)", r.blockalsIntSeconds(), most);
      }
      addRounds(t, key, "MLlib (" + r.mllibDefaultBlocks() + " blocks)", r.mllibDefaultSeconds(), most);
      if (hasAny(r.mllibCoresSeconds())) {
        addRounds(t, key, "MLlib (" + r.mllibCoresBlocks() + " blocks)", r.mllibCoresSeconds(), most);
      }
    }
    return t;
  }

  private static void addRounds(TextTable t, List<String> key, String engine, double[] secs, int most) {
    List<String> cells = new ArrayList<>(key);
    cells.add(engine);
    for (int k = 0; k < most; k++) {
      cells.add(k < secs.length ? seconds(secs[k]) : "-");
    }
    cells.add(seconds(Stats.median(secs)));
    t.add(cells);
  }

  static String alpha(double a) {
    return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
  }

  private static void addRounds(TextTable t, BenchRow r, String engine, double[] secs, int most) {
    addRounds(t, List.of(r.size(), Integer.toString(r.rank())), engine, secs, most);
  }

  private static boolean hasAny(double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
  }

  static String seconds(double s) {
    return Double.isFinite(s) ? String.format(Locale.ROOT, "%.2f", s) : "-";
  }

  static String ratio(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "-";
  }

  static String rmse(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }

  static String megabytes(long bytes) {
    return bytes > 0 ? Long.toString(Math.round(bytes / (1024.0 * 1024.0))) : "-";
  }
}
