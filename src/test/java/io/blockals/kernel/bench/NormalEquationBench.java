package io.blockals.kernel.bench;

import io.blockals.kernel.NormalEquation;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The normal-equation build of one row with {@link #RATINGS} ratings, reported per rating (ns/op is ns per rating,
 * thanks to {@code @OperationsPerInvocation}): {@code add} (one packed rank-1 update per rating, what MLlib's
 * dspr does), {@code addRows} (four rows per pass over a full triangle), {@code addRowsIndexed} (the same, reading the
 * rows in place from a 20k-row table), {@code addRowsStrided} (the engine's path at small ranks: that table as
 * floats with rows {@code fastStride} apart, which runs the vector kernel when the JVM has it) and a plain Java loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NormalEquationBench {
  /** Ratings of the row: large enough that per-row overhead (reset, fold) is amortised as in a busy user. */
  static final int RATINGS = 256;

  @Param({"10", "64", "128"})
  int rank;

  private float[] rowsF;
  private double[] rowsD;
  private double[] b;
  private NormalEquation ne;
  private double[] plain;
  /** A table of received factor rows, 20k of them (as a user block gathers from 20k items), and random picks. */
  private double[] table;
  private int[] picks;
  /** The same table as floats, rows {@link NormalEquation#fastStride(int)} apart: the vector kernel's layout. */
  private float[] stridedTable;
  private int stride;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    rowsF = new float[RATINGS * rank];
    rowsD = new double[RATINGS * rank];
    for (int i = 0; i < rowsF.length; i++) {
      rowsF[i] = (float) (rnd.nextDouble() - 0.5);
      rowsD[i] = rowsF[i];
    }
    b = new double[RATINGS];
    for (int r = 0; r < RATINGS; r++) {
      b[r] = 1 + 4 * rnd.nextDouble();
    }
    ne = new NormalEquation(rank);
    plain = new double[rank * rank + rank];
    int tableRows = 20_000;
    table = new double[tableRows * rank];
    for (int i = 0; i < table.length; i++) {
      table[i] = rnd.nextDouble() - 0.5;
    }
    picks = new int[RATINGS];
    for (int r = 0; r < RATINGS; r++) {
      picks[r] = rnd.nextInt(tableRows);
    }
    java.util.Arrays.sort(picks);
    stride = NormalEquation.fastStride(rank);
    stridedTable = new float[tableRows * stride];
    for (int t = 0; t < tableRows; t++) {
      for (int f = 0; f < rank; f++) {
        stridedTable[t * stride + f] = (float) table[t * rank + f];
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] add() {
    ne.reset();
    for (int r = 0; r < RATINGS; r++) {
      ne.add(rowsF, r * rank, b[r], 1.0);
    }
    return ne.ata();
  }

  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] addRows() {
    ne.reset();
    ne.addRows(rowsD, RATINGS, b, null);
    return ne.ata();
  }

  /** The engine's path: rows read in place from a larger table, at sorted random positions, as a block's ratings do. */
  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] addRowsIndexed() {
    ne.reset();
    ne.addRows(table, picks, 0, RATINGS, b, null);
    return ne.ata();
  }

  /** The engine's path at small ranks: as addRowsIndexed from a float table, rows fastStride apart (vector kernel). */
  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] addRowsStrided() {
    ne.reset();
    ne.addRows(stridedTable, stride, picks, 0, RATINGS, b, null);
    return ne.ata();
  }

  /** The loop anyone would write: lower triangle of a full k x k matrix, one rating at a time, from floats. */
  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] plainLoop() {
    final int k = rank;
    final double[] a = plain;
    Arrays.fill(a, 0.0);
    for (int r = 0; r < RATINGS; r++) {
      int y = r * k;
      double br = b[r];
      for (int i = 0; i < k; i++) {
        double yi = rowsF[y + i];
        a[k * k + i] += br * yi;
        int ai = i * k;
        for (int j = 0; j <= i; j++) {
          a[ai + j] += yi * rowsF[y + j];
        }
      }
    }
    return a;
  }
}
