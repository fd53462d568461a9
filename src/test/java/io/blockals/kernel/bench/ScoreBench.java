package io.blockals.kernel.bench;

import io.blockals.serve.BlockScorer;
import io.blockals.serve.FactorBlock;
import io.blockals.serve.TopK;
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
 * {@code recommend}'s inner loop, per (user, item) pair: one user block (1024 users) against one item block (4096
 * items) at rank 32, top 10, each user with 36 seen items spread over 20,000 item positions (the serve benchmark's
 * 2.16M ratings of 60,000 users), so about 7 of them fall into the block. {@code kernel}: the Vector API tiles or the
 * scalar loop ({@code BlockScorer.Kernel}); the vector one needs {@code --add-modules=jdk.incubator.vector}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoreBench {
  static final int USERS = 1024;
  static final int ITEMS = 4096;
  static final int RANK = 32;
  static final int K = 10;

  @Param({"VECTOR", "SCALAR"})
  BlockScorer.Kernel kernel;

  private FactorBlock users;
  private FactorBlock items;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(11);
    float[] uf = new float[USERS * RANK];
    float[] itf = new float[ITEMS * RANK];
    for (int i = 0; i < uf.length; i++) {
      uf[i] = (float) (rnd.nextDouble() - 0.5);
    }
    for (int i = 0; i < itf.length; i++) {
      itf[i] = (float) (rnd.nextDouble() - 0.5);
    }
    float[] ub = new float[USERS];
    float[] ib = new float[ITEMS];
    int[] pos = new int[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      ib[i] = (float) (0.2 * rnd.nextDouble());
      pos[i] = i;
    }
    int[][] seen = new int[USERS][];
    for (int u = 0; u < USERS; u++) {
      ub[u] = (float) (0.2 * rnd.nextDouble());
      seen[u] = rnd.ints(36, 0, 20_000).distinct().sorted().toArray();
    }
    users = new FactorBlock(new Object[USERS], null, ub, uf, RANK, seen);
    items = new FactorBlock(new Object[ITEMS], pos, ib, itf, RANK, null);
  }

  @Benchmark
  @OperationsPerInvocation(USERS * ITEMS)
  public TopK[] score() {
    TopK[] heaps = new TopK[USERS];
    for (int u = 0; u < USERS; u++) {
      heaps[u] = new TopK(K);
    }
    BlockScorer.score(users, items, 3.5, heaps, kernel);
    return heaps;
  }
}
