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
 * The engine's normal-equation build when the gathered table is larger than the caches, per rating. Unlike
 * {@link NormalEquationBench}, whose 256 picks are the same in every call (so their rows stay cached), each call here
 * takes the next 256 of {@link #STREAM} sorted-per-row random positions: as an item block at 10M ratings visits its
 * users, each row read is usually cold. {@code tableRows}: 20k (the item table a 3M user block reads, ~1 MB of floats at
 * rank 10) and 250k (the user table a 10M item block reads, 12 MB). {@code strided} is the rank-10 path (float rows
 * {@code fastStride} apart, the vector kernel when the JVM has it), {@code indexed} the double table of larger ranks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GatherBench {
  static final int RATINGS = 256;
  /** Positions in the stream; a row comes back only after about STREAM / tableRows other reads. */
  static final int STREAM = 1 << 22;

  @Param({"10", "64"})
  int rank;

  @Param({"20000", "250000"})
  int tableRows;

  private int[] stream;
  private int cursor;
  private double[] b;
  private NormalEquation ne;
  private float[] floats;
  private int stride;
  private double[] doubles;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    stream = new int[STREAM];
    for (int s = 0; s < STREAM; s += RATINGS) {
      for (int r = 0; r < RATINGS; r++) {
        stream[s + r] = rnd.nextInt(tableRows);
      }
      Arrays.sort(stream, s, s + RATINGS);
    }
    b = new double[RATINGS];
    for (int r = 0; r < RATINGS; r++) {
      b[r] = 1 + 4 * rnd.nextDouble();
    }
    ne = new NormalEquation(rank);
    stride = NormalEquation.fastStride(rank);
    if (stride != rank) {
      floats = new float[tableRows * stride];
      for (int t = 0; t < tableRows; t++) {
        for (int f = 0; f < rank; f++) {
          floats[t * stride + f] = (float) (rnd.nextDouble() - 0.5);
        }
      }
    }
    doubles = new double[tableRows * rank];
    for (int i = 0; i < doubles.length; i++) {
      doubles[i] = rnd.nextDouble() - 0.5;
    }
  }

  private int next() {
    int at = cursor;
    cursor = at + RATINGS == STREAM ? 0 : at + RATINGS;
    return at;
  }

  /** Rank 10's engine path: the float table, rows fastStride apart. Only where the vector kernel is on. */
  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] strided() {
    ne.reset();
    if (floats != null) {
      ne.addRows(floats, stride, stream, next(), RATINGS, b, null);
    }
    return ne.ata();
  }

  /** Larger ranks' engine path (and every rank's without the vector kernel): the double table, rows k apart. */
  @Benchmark
  @OperationsPerInvocation(RATINGS)
  public double[] indexed() {
    ne.reset();
    ne.addRows(doubles, stream, next(), RATINGS, b, null);
    return ne.ata();
  }
}
