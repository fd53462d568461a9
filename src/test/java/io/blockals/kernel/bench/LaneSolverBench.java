package io.blockals.kernel.bench;

import io.blockals.kernel.CholeskySolver;
import io.blockals.kernel.LaneSolver;
import io.blockals.kernel.NormalEquation;
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
 * Four rows' small systems, ns per <b>solve</b>: one by one with the Cholesky solver ({@code oneByOne}), and all
 * four at once in vector lanes ({@code lanes}, the engine's path up to k = 16 when the vector kernel is on; the same
 * results to the last bit). k = 11 is rank 10 with the bias column. Needs {@code --add-modules=jdk.incubator.vector}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LaneSolverBench {
  static final int RATINGS = 40;

  @Param({"11", "16"})
  int k;

  private final NormalEquation[] ne = new NormalEquation[LaneSolver.WIDTH];
  private final double[] lambda = new double[LaneSolver.WIDTH];
  private double[][] out;
  private final CholeskySolver cholesky = new CholeskySolver();
  private LaneSolver lanes;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    float[] row = new float[k];
    for (int q = 0; q < ne.length; q++) {
      ne[q] = new NormalEquation(k);
      for (int r = 0; r < RATINGS; r++) {
        for (int f = 0; f < k; f++) {
          row[f] = (float) ((rnd.nextDouble() - 0.5) / Math.sqrt(k));
        }
        ne[q].add(row, 0, 1 + 4 * rnd.nextDouble(), 1.0);
      }
      lambda[q] = 0.05 * RATINGS;
    }
    out = new double[LaneSolver.WIDTH][k];
    lanes = LaneSolver.standingFor(cholesky, k);
    if (lanes == null) {
      throw new IllegalStateException("no lane solver in this JVM: run it with --add-modules=jdk.incubator.vector");
    }
  }

  @Benchmark
  @OperationsPerInvocation(LaneSolver.WIDTH)
  public double[][] oneByOne() {
    for (int q = 0; q < LaneSolver.WIDTH; q++) {
      cholesky.solve(ne[q], lambda[q], out[q], 0);
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(LaneSolver.WIDTH)
  public double[][] lanes() {
    lanes.solve(ne, lambda, LaneSolver.WIDTH, out);
    return out;
  }
}
