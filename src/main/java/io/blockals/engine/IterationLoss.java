package io.blockals.engine;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Brings each iteration's share of the objective from the item-half solves back to the driver while the job that
 * runs several iterations is still going, so the driver logs every iteration as it finishes without a Spark job of
 * its own.
 *
 * <p>An update is {iteration, item block, residual sum, item reg term, user reg term} and, with held-out pairs,
 * {their squared error sum, their count} after that, keyed by (iteration, block),
 * and it replaces rather than adds: a solve that Spark runs again (a retried task, a cached block recomputed)
 * reports the same figures and they are not counted twice. For the same reason the updates of failed tasks count
 * ({@link #register}): a task can fail after its solves, while it ships the solved factors on, and its retry then
 * reads the solved block from the cache without solving it again, so the failed attempt's report is the only one.
 * The driver's copy wakes {@link #await} on every merge; Spark merges task updates on its scheduler thread while the
 * driver thread waits, hence the locking.
 */
final class IterationLoss extends AccumulatorV2<double[], Map<Long, double[]>> {
  private static final long serialVersionUID = 1L;

  private final int numBlocks;
  private final HashMap<Long, double[]> parts = new HashMap<>();

  IterationLoss(int numBlocks) {
    this.numBlocks = numBlocks;
  }

  /** A new accumulator registered with {@code sc} so that the updates of failed tasks are merged too. */
  static IterationLoss register(SparkContext sc, int numBlocks) {
    IterationLoss loss = new IterationLoss(numBlocks);
    // SparkContext.register has no countFailedValues; AccumulatorV2.register (Scala private[spark], public in the
    // bytecode) is how Spark registers its own such accumulators.
    loss.register(sc, scala.Option.empty(), true);
    return loss;
  }

  private long key(double iteration, double block) {
    return (long) iteration * numBlocks + (long) block;
  }

  @Override
  public synchronized boolean isZero() {
    return parts.isEmpty();
  }

  @Override
  public synchronized IterationLoss copy() {
    IterationLoss c = new IterationLoss(numBlocks);
    c.parts.putAll(parts);
    return c;
  }

  @Override
  public synchronized void reset() {
    parts.clear();
  }

  @Override
  public synchronized void add(double[] v) {
    parts.put(key(v[0], v[1]), v);
  }

  @Override
  public void merge(AccumulatorV2<double[], Map<Long, double[]>> other) {
    Map<Long, double[]> theirs = other.value();
    synchronized (this) {
      parts.putAll(theirs);
      notifyAll();
    }
  }

  @Override
  public synchronized Map<Long, double[]> value() {
    return new HashMap<>(parts);
  }

  /**
   * The figures of {@code iteration} summed over the blocks in block order (so the sum is the same on every run):
   * {residual sum, item reg term, user reg term[, held-out squared error, held-out count]}; null while a block has
   * not reported.
   */
  synchronized double[] sums(int iteration) {
    double[] s = null;
    for (int b = 0; b < numBlocks; b++) {
      double[] part = parts.get(key(iteration, b));
      if (part == null) {
        return null;
      }
      if (s == null) {
        s = new double[part.length - 2];
      }
      for (int t = 0; t < s.length; t++) {
        s[t] += part[2 + t];
      }
    }
    return s;
  }

  /** {@link #sums}, waiting up to {@code millis} for the last blocks to report; null if they did not. */
  synchronized double[] await(int iteration, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    double[] s = sums(iteration);
    while (s == null) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return null;
      }
      wait(left);
      s = sums(iteration);
    }
    return s;
  }

  /** Drops the figures of iterations up to {@code iteration}, once reported. */
  synchronized void forget(int iteration) {
    parts.keySet().removeIf(k -> k / numBlocks <= iteration);
  }
}
