package io.blockals.engine;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Runs the half-step's build and solve on a small made-up block until the JIT has compiled them, so that the first
 * iteration of a run solves at the speed of the others. The vector kernel is the reason: until C2 compiles it, every
 * {@code jdk.incubator.vector} operation is an object allocated by the interpreter, and a rank-10 block of real
 * ratings then takes several times as long as it will from the second iteration on.
 *
 * <p>It works on its own arrays only and its results are thrown away: a warm-up changes no model. The train and
 * train command starts it, on a daemon thread, in every JVM that runs tasks ({@code io.blockals.job.WarmUpPlugin}),
 * while Spark and set-up are still getting ready. {@link #batching} does the same for set-up's first pass.
 */
public final class KernelWarmUp {
  /** Gathered rows of the small made-up block (the other side). */
  static final int TABLE_ROWS = 512;
  /**
   * Local rows of the made-up block. Not a multiple of the lane solver's four: the last group of a real block is
   * partly empty, and a branch the JIT never saw taken is compiled as a trap that throws the compiled code away.
   */
  static final int ROWS = 255;
  /**
   * Each row has 1 to this many ratings, so every remainder of the kernel's groups of four ratings is taken, as with
   * real rows (all rows of one length left the remainder loop as such a trap for the first real block).
   */
  static final int MAX_RATINGS_PER_ROW = 47;

  private KernelWarmUp() {}

  /** Every this many rounds, one solves the large block instead of the small one. */
  static final int LARGE_EVERY = 4;
  /** Rounds after which a warm-up ends once its times have settled, even if they never fell tenfold. */
  static final int MAX_SETTLED_ROUNDS = 120;

  /**
   * Runs rounds until, after at least {@code minRounds}, the last {@code settle} rounds took within 25% of each other
   * and the last one took under a tenth of the first (or {@link #MAX_SETTLED_ROUNDS} have run), or until
   * {@code budgetNanos} have passed. Interpreted rounds settle too, on a plateau, before compiled code replaces them,
   * hence the tenfold fall.
   *
   * @return the seconds of each round of the small block
   */
  public static double[] run(AlsParams s, int minRounds, int settle, long budgetNanos) {
    // Two made-up blocks, used in turn: the kernel reads tables over NormalEquation.TOUCH_MIN_BYTES with a touch
    // pass first, and a branch the JIT never saw taken is compiled as a trap that throws the compiled code away the
    // first time a real, large table takes it.
    Block small = Block.of(s, TABLE_ROWS);
    int stride = io.blockals.kernel.NormalEquation.fastStride(s.dim());
    Block large = Block.of(s, (int) (io.blockals.kernel.NormalEquation.TOUCH_MIN_BYTES / (4L * stride)) + 64);
    double[] took = new double[1024];
    long start = System.nanoTime();
    int n = 0;
    int round = 0;
    while (n < took.length) {
      if (round++ % LARGE_EVERY == 1) {
        // Seen now and then is enough for the JIT to keep the branch; the times measure the small block only.
        large.solveOnce(s);
        continue;
      }
      long t0 = System.nanoTime();
      small.solveOnce(s);
      long t1 = System.nanoTime();
      took[n++] = (t1 - t0) / 1e9;
      boolean fell = took[n - 1] < took[0] / 10 || n >= MAX_SETTLED_ROUNDS;
      if (t1 - start > budgetNanos || (n >= minRounds && fell && settled(took, n, settle))) {
        break;
      }
    }
    return java.util.Arrays.copyOf(took, n);
  }

  /**
   * Batches {@code rows} (training rows in Spark's internal form, as a train run's reader makes them) by user block,
   * as set-up's first pass does, and returns the number of batches made.
   */
  public static long batching(Iterator<InternalRow> rows) {
    Iterator<?> out = BlockAls.batchInternalRows(rows, 2);
    long batches = 0;
    while (out.hasNext()) {
      out.next();
      batches++;
    }
    return batches;
  }



  private static boolean settled(double[] took, int n, int settle) {
    if (n < settle) {
      return false;
    }
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (int t = n - settle; t < n; t++) {
      lo = Math.min(lo, took[t]);
      hi = Math.max(hi, took[t]);
    }
    return hi <= 1.25 * lo;
  }

  /** A made-up block: a random table of the other side's rows, gathered once, and a CSR of ratings into it. */
  private record Block(int[] rowPtr, int[] pos, float[] value, HalfStep.Gathered gathered) {
    static Block of(AlsParams s, int tableRows) {
      SplittableRandom rnd = new SplittableRandom(s.seed());
      int dim = s.dim();
      float[] table = new float[tableRows * dim];
      for (int t = 0; t < table.length; t++) {
        table[t] = (float) (rnd.nextDouble() - 0.5);
      }
      HalfStep.Gathered g = new HalfStep.Gathered(tableRows, s,
          s.implicit() ? HalfStep.gram(table, tableRows, dim) : null);
      for (int t = 0; t < tableRows; t++) {
        g.put(t, table, t * dim, s.biases() ? table[t * dim + s.rank()] : 0f);
      }
      int[] rowPtr = new int[ROWS + 1];
      for (int r = 0; r < ROWS; r++) {
        rowPtr[r + 1] = rowPtr[r] + 1 + rnd.nextInt(MAX_RATINGS_PER_ROW);
      }
      int[] pos = new int[rowPtr[ROWS]];
      float[] value = new float[pos.length];
      for (int r = 0; r < ROWS; r++) {
        for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
          pos[j] = rnd.nextInt(tableRows);
          value[j] = 1 + rnd.nextInt(5);
        }
      }
      return new Block(rowPtr, pos, value, g);
    }

    void solveOnce(AlsParams s) {
      HalfStep.solveRows(ROWS, rowPtr, pos, value, gathered, s, 3.0, true, null, new double[2]);
    }
  }
}
