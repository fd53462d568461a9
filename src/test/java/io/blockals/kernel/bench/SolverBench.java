package io.blockals.kernel.bench;

import io.blockals.bench.PlainAls;

import io.blockals.kernel.CholeskySolver;
import io.blockals.kernel.ConjugateGradientSolver;
import io.blockals.kernel.NormalEquation;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One row's solve of {@code (ata + lambda n I) x = atb}, ns per solve (divide by a row's rating count for the cost
 * per rating): the kernel's Cholesky, CG from zero (cold), CG from a start 1% off the solution (warm, as in later
 * ALS iterations where the previous factor is the start) and a plain Java Cholesky on a full matrix as the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SolverBench {
  static final int RATINGS = 256;
  static final double REG = 0.05;

  @Param({"10", "64", "128"})
  int rank;

  private NormalEquation ne;
  private double lambda;
  private final CholeskySolver cholesky = new CholeskySolver();
  private final ConjugateGradientSolver cg = new ConjugateGradientSolver();
  private double[] out;
  private double[] warmStart;
  private double[] full;
  private double[] fullScratch;
  private double[] rhs;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    ne = new NormalEquation(rank);
    float[] row = new float[rank];
    for (int r = 0; r < RATINGS; r++) {
      for (int f = 0; f < rank; f++) {
        row[f] = (float) ((rnd.nextDouble() - 0.5) / Math.sqrt(rank));
      }
      ne.add(row, 0, 1 + 4 * rnd.nextDouble(), 1.0);
    }
    lambda = REG * RATINGS;
    out = new double[rank];
    double[] solution = new double[rank];
    cholesky.solve(ne, lambda, solution, 0);
    warmStart = new double[rank];
    for (int f = 0; f < rank; f++) {
      warmStart[f] = solution[f] * (1 + 0.01 * (rnd.nextDouble() - 0.5));
    }
    full = new double[rank * rank];
    double[] ata = ne.ata();
    for (int j = 0; j < rank; j++) {
      for (int i = 0; i <= j; i++) {
        double v = ata[i + j * (j + 1) / 2];
        full[j * rank + i] = v;
        full[i * rank + j] = v;
      }
      full[j * rank + j] += lambda;
    }
    fullScratch = new double[rank * rank];
    rhs = new double[rank];
  }

  @Benchmark
  public double[] cholesky() {
    cholesky.solve(ne, lambda, out, 0);
    return out;
  }

  @Benchmark
  public double[] cgCold() {
    Arrays.fill(out, 0.0);
    cg.solve(ne, lambda, out, 0);
    return out;
  }

  @Benchmark
  public double[] cgWarm() {
    System.arraycopy(warmStart, 0, out, 0, rank);
    cg.solve(ne, lambda, out, 0);
    return out;
  }

  /** Textbook Cholesky-Banachiewicz on a full row-major matrix, then the two triangular solves. */
  @Benchmark
  public double[] plainCholesky() {
    final int k = rank;
    final double[] a = fullScratch;
    System.arraycopy(full, 0, a, 0, k * k);
    System.arraycopy(ne.atb(), 0, rhs, 0, k);
    // The same textbook full-matrix Cholesky the single-threaded baseline ALS uses.
    PlainAls.choleskySolve(a, rhs, k);
    return rhs;
  }
}
