package io.blockals.engine;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The iterations of one fit, driven from the driver once set-up has built the blocks: the start (seeded or from a
 * published model), the held-out pairs if any, the iterations job by job, the stopping decision after each
 * iteration, and the result. It owns every factor RDD the run persists and releases all but the published pair.
 *
 * <p>An iteration solves one side from the other and then the other from it; the second half also reports the
 * iteration's loss and scores the held-out pairs. Explicit feedback solves users first, then items. Implicit feedback
 * solves items first, then users, from seeded users (MLlib's order): the users, whose rows the recommendations rank,
 * are then always solved from the latest items, which ranks held-out items measurably better than the other order at
 * high confidence slopes (docs/benchmarks.md, implicit feedback). Inside this class the two sides are called
 * "first" and "last" in that order.
 */
final class Training {
  private static final Logger LOG = LoggerFactory.getLogger(Training.class);

  private final BlockAls.Blocks blocks;
  private final AlsParams p;
  private final IterationListener listener;
  private final IterationLoss loss;
  private final EarlyStopping stopping;
  private final List<IterationStats> history = new ArrayList<>();
  /** Every RDD the run persisted, so a failed run releases them all (releasing one twice is harmless). */
  private final List<JavaRDD<?>> made = new ArrayList<>();
  /** What only the first iteration reads (the warm start's joined tables), released once it is done. */
  private final List<JavaRDD<?>> startOnly = new ArrayList<>();
  /** Whether an iteration solves the items first (implicit feedback) rather than the users. */
  private final boolean itemsFirst;
  private final JavaRDD<SideBlock> firstBlocks;
  private final JavaRDD<SideBlock> lastBlocks;
  private final int numFirst;
  private final int numLast;
  /** The factors after the last finished iteration; before the first, the start (first: null on a cold start). */
  private JavaRDD<FactorBlock> firstFactors;
  private JavaRDD<FactorBlock> lastFactors;
  /** With patience: the factors of the best iteration so far, kept persisted. */
  private JavaRDD<FactorBlock> bestFirst;
  private JavaRDD<FactorBlock> bestLast;
  private ValidationSet validation;
  private WarmStart.Report warmReport;
  private StopReason stopReason;

  Training(BlockAls.Blocks blocks, AlsParams p, IterationListener listener) {
    this.blocks = blocks;
    this.p = p;
    this.listener = listener;
    this.itemsFirst = p.implicit();
    this.firstBlocks = itemsFirst ? blocks.itemBlocks() : blocks.userBlocks();
    this.lastBlocks = itemsFirst ? blocks.userBlocks() : blocks.itemBlocks();
    this.numFirst = itemsFirst ? p.numItemBlocks() : p.numUserBlocks();
    this.numLast = itemsFirst ? p.numUserBlocks() : p.numItemBlocks();
    this.loss = IterationLoss.register(blocks.itemBlocks().context(), numLast);
    this.stopping = new EarlyStopping(p.tolerance(), p.patience());
  }

  /** The factors before the first iteration: seeded per id, or from {@code warm} (null for a cold start). */
  void start(WarmStart warm) {
    if (warm == null) {
      AlsParams s = p;
      lastFactors = persist(lastBlocks.map(b -> BlockAls.initialFactors(b, s)), side(false) + " factors 0");
      return;
    }
    checkIdTypes(warm);
    JavaRDD<Tuple2<FactorBlock, long[]>> users = WarmFactors.join(blocks.userBlocks(), warm.users(),
        p.numUserBlocks(), p).setName("blockals user factors 0 (warm start)").persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Tuple2<FactorBlock, long[]>> items = WarmFactors.join(blocks.itemBlocks(), warm.items(),
        p.numItemBlocks(), p).setName("blockals item factors 0 (warm start)").persist(StorageLevel.MEMORY_AND_DISK());
    made.add(users);
    made.add(items);
    startOnly.add(users);
    startOnly.add(items);
    // One job for both sides, as set-up's figures: the first field tells them apart (0 users, 1 items).
    List<long[]> parts = users.map(t -> counts(0, t._2())).union(items.map(t -> counts(1, t._2()))).collect();
    warmReport = new WarmStart.Report(warm.path(), warm.runId(), sum(parts, 0), sum(parts, 1));
    LOG.info("warm start from {} (run {}): users {} from the model, {} new, {} dropped; items {} from the model, "
        + "{} new, {} dropped", warm.path(), warm.runId(), warmReport.users().kept(), warmReport.users().added(),
        warmReport.users().dropped(), warmReport.items().kept(), warmReport.items().added(),
        warmReport.items().dropped());
    JavaRDD<FactorBlock> u = users.map(Tuple2::_1);
    JavaRDD<FactorBlock> i = items.map(Tuple2::_1);
    firstFactors = itemsFirst ? i : u;
    lastFactors = itemsFirst ? u : i;
  }

  /** The name of the first ({@code true}) or last side's RDDs. */
  private String side(boolean first) {
    return first == itemsFirst ? "blockals item" : "blockals user";
  }

  private void checkIdTypes(WarmStart warm) {
    for (int side = 0; side < 2; side++) {
      boolean was = side == 0 ? warm.userIdsLong() : warm.itemIdsLong();
      boolean is = side == 0 ? blocks.users().allLong() : blocks.items().allLong();
      if (was != is) {
        String name = side == 0 ? "user" : "item";
        throw BlockalsException.usage("init_model " + warm.path() + " has " + (was ? "long" : "string") + " " + name
            + " ids but this input's " + name + " ids are " + (is ? "long" : "string")
            + "s; train cold (init_model = \"\") or keep the ids of one type");
      }
    }
  }

  private static long[] counts(int side, long[] c) {
    return new long[] {side, c[0], c[1], c[2]};
  }

  private static WarmStart.Counts sum(List<long[]> parts, int side) {
    long[] s = new long[3];
    for (long[] part : parts) {
      if (part[0] == side) {
        for (int t = 0; t < 3; t++) {
          s[t] += part[1 + t];
        }
      }
    }
    return new WarmStart.Counts(s[0], s[1], s[2]);
  }

  /** Resolves the held-out pairs against the blocks, if there are any, so every iteration scores them. */
  void validate(Supplier<JavaRDD<Row>> heldOut) {
    if (heldOut == null) {
      return;
    }
    JavaRDD<Row> pairs = heldOut.get();
    if (itemsFirst) {
      // The held-out pairs are scored where the last side is solved: (item, user, value) on the users' side.
      pairs = pairs.map(r -> RowFactory.create(r.get(1), r.get(0), r.get(2)));
    }
    validation = ValidationSet.build(pairs, firstBlocks, lastBlocks, numFirst, numLast);
    made.add(validation.users);
    made.add(validation.pairs);
    LOG.info("validation: {} held-out pairs scored after every iteration", validation.numPairs);
  }

  /** Runs iterations until {@code max_iter} or the stopping rule, one Spark job up to each checkpoint. */
  void iterate() {
    var sc = blocks.itemBlocks().context();
    int done = 0;
    while (done < p.maxIter() && stopReason == null) {
      int last = BlockAls.lastOfJob(done, p.maxIter(), p.checkpointInterval());
      List<JavaRDD<FactorBlock>> firstSteps = new ArrayList<>();
      List<JavaRDD<FactorBlock>> lastSteps = new ArrayList<>();
      firstSteps.add(firstFactors);
      lastSteps.add(lastFactors);
      String allMarked = sc.getLocalProperty(BlockAls.CHECKPOINT_ALL_MARKED);
      sc.setLocalProperty(BlockAls.CHECKPOINT_ALL_MARKED, "true");
      try {
        for (int iter = done + 1; iter <= last; iter++) {
          iteration(firstSteps, lastSteps, iter);
        }
      } finally {
        sc.setLocalProperty(BlockAls.CHECKPOINT_ALL_MARKED, allMarked);
      }
      // The last iteration is not checkpointed: its factors are written out as the model right after.
      if (p.checkpointInterval() > 0 && last % p.checkpointInterval() == 0 && last < p.maxIter()) {
        firstSteps.get(firstSteps.size() - 1).checkpoint();
        lastSteps.get(lastSteps.size() - 1).checkpoint();
      }
      int reached = runJob(done, firstSteps, lastSteps);
      firstFactors = firstSteps.get(reached - done);
      lastFactors = lastSteps.get(reached - done);
      done = reached;
    }
    if (stopReason == null) {
      stopReason = StopReason.MAX_ITER;
    }
  }

  /** The RDDs of one iteration, appended to the steps: the first side from the last, then the last side. */
  private void iteration(List<JavaRDD<FactorBlock>> firstSteps, List<JavaRDD<FactorBlock>> lastSteps, int iter) {
    JavaRDD<FactorBlock> prevLast = lastSteps.get(lastSteps.size() - 1);
    JavaRDD<FactorBlock> prevFirst = firstSteps.get(firstSteps.size() - 1);
    double mu = blocks.globalMean();
    JavaRDD<FactorBlock> newFirst = persist(BlockAls.halfStep(prevLast, lastBlocks, firstBlocks, prevFirst, numFirst,
        p, mu, null, iter, null), side(true) + " factors " + iter);
    JavaRDD<FactorBlock> newLast = persist(BlockAls.halfStep(newFirst, firstBlocks, lastBlocks, prevLast, numLast, p,
        mu, loss, iter, validation), side(false) + " factors " + iter);
    firstSteps.add(newFirst);
    lastSteps.add(newLast);
  }

  private JavaRDD<FactorBlock> persist(JavaRDD<FactorBlock> rdd, String name) {
    JavaRDD<FactorBlock> out = rdd.setName(name).persist(StorageLevel.MEMORY_AND_DISK());
    made.add(out);
    return out;
  }

  /**
   * Runs iterations {@code done+1 .. done+first.size()-1} as one Spark job on a helper thread and, on this thread,
   * reports each iteration as soon as its last half has finished everywhere (the loss and the validation sums come
   * from the solves through {@link IterationLoss}, so they cost no job) and decides whether to stop. Factors no
   * iteration reads any more are released as the job moves on. Stopping before the job's last iteration cancels the
   * rest of the job. A non-finite loss or a failure cancels the job and is thrown.
   *
   * @param first the first side's factors before the first iteration (index 0, may be null) and after each one
   * @return the last iteration reported
   */
  private int runJob(int done, List<JavaRDD<FactorBlock>> first, List<JavaRDD<FactorBlock>> lastSide) {
    int last = done + first.size() - 1;
    JavaRDD<FactorBlock> finalLast = lastSide.get(lastSide.size() - 1);
    var sc = finalLast.context();
    String tag = "blockals-iterations-" + java.util.UUID.randomUUID();
    // A synchronous action on its own thread rather than an asynchronous one: only the synchronous path writes the
    // checkpoints marked above. The thread inherits this thread's Spark properties (job group, pool); the tag is
    // added there only, so cancelling it cancels just this job.
    FutureTask<Void> job = new FutureTask<>(() -> {
      sc.addJobTag(tag);
      finalLast.foreach(f -> { });
      return null;
    });
    Thread runner = new Thread(job, "blockals iterations " + (done + 1) + "-" + last);
    runner.setDaemon(true);
    long mark = System.nanoTime();
    runner.start();
    int reached = done;
    try {
      while (reached < last && stopReason == null) {
        int iter = reached + 1;
        double[] sums = loss.await(iter, 50);
        if (sums == null) {
          if (!job.isDone()) {
            continue;
          }
          job.get();
          sums = loss.sums(iter);
          if (sums == null) {
            throw new IllegalStateException("iteration " + iter + ": a block of its last half did not report its loss");
          }
        }
        long now = System.nanoTime();
        IterationStats st = stats(iter, sums, (now - mark) / 1e9);
        mark = now;
        history.add(st);
        loss.forget(iter);
        reached = iter;
        if (listener != null) {
          listener.onIteration(st, p.maxIter());
        }
        stopReason = stopping.observe(st);
        release(first, lastSide, iter - done);
      }
      if (reached < last) {
        sc.cancelJobsWithTag(tag);
        waitForCancelled(job);
        LOG.info("stopping after iteration {} of {} ({}); the model holds iteration {}", reached, p.maxIter(),
            describe(stopReason), stopping.chosenIteration());
      } else {
        job.get();
        if (stopReason != null) {
          LOG.info("stopping after iteration {} of {} ({}); the model holds iteration {}", reached, p.maxIter(),
              describe(stopReason), stopping.chosenIteration());
        }
      }
      return reached;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("iterations " + (done + 1) + "-" + last + " failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while iterations " + (done + 1) + "-" + last + " ran", e);
    } finally {
      if (!job.isDone()) {
        sc.cancelJobsWithTag(tag);
        try {
          runner.join(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private String describe(StopReason r) {
    return r == StopReason.TOLERANCE ? "the training loss fell by less than tolerance " + p.tolerance()
        : "no lower validation RMSE in " + p.patience() + " iterations";
  }

  private static void waitForCancelled(FutureTask<Void> job) throws InterruptedException {
    try {
      job.get();
    } catch (ExecutionException | CancellationException e) {
      // The job was cancelled on purpose: its remaining iterations are not wanted.
    }
  }

  /** One iteration's figures from the summed block reports {residual, item reg, user reg[, val se, val count]}. */
  private IterationStats stats(int iter, double[] sums, double seconds) {
    double total = sums[0] + sums[1] + sums[2];
    double rmse = p.implicit() ? Double.NaN : Math.sqrt(sums[0] / blocks.items().ratings());
    if (!Double.isFinite(total)) {
      throw new IllegalStateException("the training loss became " + total + " at iteration " + iter
          + "; the factors diverged: raise reg_param or lower rank");
    }
    double validationRmse = validation != null && sums.length > 4 && sums[4] > 0 ? Math.sqrt(sums[3] / sums[4])
        : Double.NaN;
    return new IterationStats(iter, total, rmse, seconds, validationRmse);
  }

  /**
   * Iteration {@code done + step} is done everywhere: nothing reads the factors before it any more, except the best
   * iterate, which patience keeps.
   */
  private void release(List<JavaRDD<FactorBlock>> first, List<JavaRDD<FactorBlock>> lastSide, int step) {
    if (stopping.keepsBest() && stopping.chosenIteration() == history.size()) {
      if (bestFirst != null && bestFirst != first.get(step - 1)) {
        bestFirst.unpersist(false);
        bestLast.unpersist(false);
      }
      bestFirst = first.get(step);
      bestLast = lastSide.get(step);
    }
    JavaRDD<FactorBlock> prevFirst = first.get(step - 1);
    JavaRDD<FactorBlock> prevLast = lastSide.get(step - 1);
    if (prevLast != bestLast) {
      if (prevFirst != null) {
        prevFirst.unpersist(false);
      }
      prevLast.unpersist(false);
    }
    for (JavaRDD<?> rdd : startOnly) {
      rdd.unpersist(false);
    }
    startOnly.clear();
  }

  /** The model: the chosen iterate (the best with patience, else the last); everything else is released. */
  AlsResult result() {
    JavaRDD<FactorBlock> f = bestFirst != null ? bestFirst : firstFactors;
    JavaRDD<FactorBlock> l = bestLast != null ? bestLast : lastFactors;
    if (history.isEmpty()) {
      // max_iter = 0: the first side solved once from the initial last side, so the model is still usable.
      f = persist(BlockAls.halfStep(lastFactors, lastBlocks, firstBlocks, null, numFirst, p, blocks.globalMean(),
          null, 0, null), side(true) + " factors 0");
      stopReason = StopReason.MAX_ITER;
    }
    JavaRDD<FactorBlock> users = itemsFirst ? l : f;
    JavaRDD<FactorBlock> items = itemsFirst ? f : l;
    for (JavaRDD<?> rdd : made) {
      if (rdd != users && rdd != items) {
        rdd.unpersist(false);
      }
    }
    return new AlsResult(p, blocks.userBlocks(), blocks.itemBlocks(), users, items, blocks.globalMean(),
        blocks.users().rows(), blocks.items().rows(), blocks.items().ratings(), blocks.users().allLong(),
        blocks.items().allLong(), history, stopReason, stopping.chosenIteration(), warmReport, validation != null);
  }

  /** After a failure: every RDD of the run, the blocks too. */
  void release() {
    blocks.userBlocks().unpersist(false);
    blocks.itemBlocks().unpersist(false);
    for (JavaRDD<?> rdd : made) {
      rdd.unpersist(false);
    }
  }
}
