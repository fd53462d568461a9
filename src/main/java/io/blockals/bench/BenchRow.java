package io.blockals.bench;

/**
 * What the benchmark measured for one (size, rank): seconds of every round per engine (NaN where an engine did not
 * run), held-out RMSE, and peak heap. Medians and ratios are derived, never stored, so they cannot disagree.
 *
 * @param size the size label, e.g. "3M"
 * @param trainRatings training ratings every engine fitted
 * @param testRatings held-out ratings the RMSE is computed on
 * @param users number of users in the data
 * @param items number of items in the data
 * @param rank the fitted rank
 * @param blockalsBlocks blockals user = item block count
 * @param mllibDefaultBlocks MLlib's default block count (10)
 * @param mllibCoresBlocks MLlib block count equal to the number of cores
 * @param blockalsSeconds fit seconds per round (string ids, blockals' own input table)
 * @param blockalsIntSeconds fit seconds per round of blockals on MLlib's int ids (NaN where it did not run)
 * @param mllibDefaultSeconds fit seconds per round, MLlib with its default blocks
 * @param mllibCoresSeconds fit seconds per round, MLlib with blocks = cores (NaN when that equals the default)
 * @param plainSeconds seconds per round of the single-threaded plain-Java ALS (NaN in rounds it did not run)
 * @param blockalsRmse held-out RMSE of blockals
 * @param blockalsIntRmse held-out RMSE of blockals on int ids (NaN when not run)
 * @param mllibDefaultRmse held-out RMSE of MLlib with default blocks
 * @param mllibCoresRmse held-out RMSE of MLlib with blocks = cores (NaN when not run)
 * @param plainRmse held-out RMSE of the plain ALS (NaN when not run)
 * @param noiseFloor the planted noise: the RMSE a perfect model would have
 * @param blockalsPeakHeap peak used heap during blockals fits, bytes
 * @param mllibPeakHeap peak used heap during MLlib fits (both settings), bytes
 */
public record BenchRow(String size, long trainRatings, long testRatings, int users, int items, int rank,
    int blockalsBlocks, int mllibDefaultBlocks, int mllibCoresBlocks, double[] blockalsSeconds,
    double[] blockalsIntSeconds, double[] mllibDefaultSeconds, double[] mllibCoresSeconds, double[] plainSeconds,
    double blockalsRmse, double blockalsIntRmse, double mllibDefaultRmse, double mllibCoresRmse, double plainRmse, double noiseFloor, long blockalsPeakHeap,
    long mllibPeakHeap) {

  public double blockalsMedian() {
    return Stats.median(blockalsSeconds);
  }

  public double blockalsIntMedian() {
    return Stats.median(blockalsIntSeconds);
  }

  public double mllibDefaultMedian() {
    return Stats.median(mllibDefaultSeconds);
  }

  public double mllibCoresMedian() {
    return Stats.median(mllibCoresSeconds);
  }

  public double plainMedian() {
    return Stats.median(plainSeconds);
  }

  /** True when MLlib with blocks = cores was at least as fast as with its default blocks. */
  public boolean mllibCoresIsBest() {
    double cores = mllibCoresMedian();
    double dflt = mllibDefaultMedian();
    return Double.isFinite(cores) && !(dflt < cores);
  }

  /** The median of MLlib's best (fastest) block setting. */
  public double mllibBestMedian() {
    return Stats.minFinite(mllibDefaultMedian(), mllibCoresMedian());
  }

  /** The held-out RMSE of MLlib's best block setting. */
  public double mllibBestRmse() {
    return mllibCoresIsBest() ? mllibCoresRmse : mllibDefaultRmse;
  }

  /** blockals median / MLlib best median: below 1 means blockals is faster (the target is at most 1/3). */
  public double ratioToMllib() {
    return Stats.ratio(blockalsMedian(), mllibBestMedian());
  }

  /** blockals median / plain single-threaded median (the target is at most 0.6). */
  public double ratioToPlain() {
    return Stats.ratio(blockalsMedian(), plainMedian());
  }

  /** blockals on int ids / MLlib best median: the same input table on both sides. */
  public double intRatioToMllib() {
    return Stats.ratio(blockalsIntMedian(), mllibBestMedian());
  }

  /** blockals on int ids / plain single-threaded median. */
  public double intRatioToPlain() {
    return Stats.ratio(blockalsIntMedian(), plainMedian());
  }
}
