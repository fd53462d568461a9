package io.blockals.engine;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The Spark plumbing of block-wise ALS: two set-up shuffles build the blocks once; each half-iteration is one
 * shuffle of factor messages and one stage that solves, scores and sends the next messages. One Spark job runs many
 * iterations (up to the next checkpoint); the loss of each comes back through an accumulator as its item half ends,
 * so logging it costs no job and no stage.
 */
public final class BlockAls {
  private static final Logger LOG = LoggerFactory.getLogger(BlockAls.class);
  private static final int BATCH = 8192;
  /** At most this many iterations run in one Spark job, which bounds the lineage a job's scheduler walks. */
  static final int MAX_JOB_ITERATIONS = 20;
  /**
   * Spark's local property (RDD.CHECKPOINT_ALL_MARKED_ANCESTORS): without it a job checkpoints only the last marked
   * RDD of its lineage, and the user half of a checkpointed iteration would need a job of its own. An RDD reads it
   * when it is created, so it is set while the iterations' RDDs are built.
   */
  private static final String CHECKPOINT_ALL_MARKED = "spark.checkpoint.checkpointAllMarkedAncestors";

  private BlockAls() {}

  /**
   * Trains on {@code ratings} (columns user, item, rating double, ts long nullable, ord long). User and item ids are
   * strings, or ints or longs; a numeric id stands for its decimal string ({@code 42} and {@code "42"} are one id, and
   * the model holds the same ids and factors either way), but it is read and hashed as a number, which makes set-up
   * cheaper. The returned result holds persisted RDDs; call {@link AlsResult#unpersist()} when done with it.
   */
  public static AlsResult fit(Dataset<Row> ratings, AlsParams p, IterationListener listener) {
    Dataset<Row> cols = ratings.select("user", "item", "rating", "ts", "ord");
    int nU = p.numUserBlocks();
    List<DataType> types = typesOf(cols.schema());
    boolean numericIds = isIntegral(types.get(0)) && isIntegral(types.get(1));
    if (cols instanceof org.apache.spark.sql.classic.Dataset<Row> classic && REST_OF_SCHEMA.equals(types.subList(2, 5))
        && (numericIds || (types.get(0).equals(DataTypes.StringType) && types.get(1).equals(DataTypes.StringType)))) {
      // Spark's internal rows rather than Rows: string ids are hashed and de-duplicated per batch from their UTF-8
      // bytes, numeric ones as numbers, and only a batch's distinct ids become bytes to ship, not every rating's.
      JavaRDD<InternalRow> internal = classic.queryExecution().toRdd().toJavaRDD();
      if (numericIds) {
        boolean userLong = types.get(0).equals(DataTypes.LongType);
        boolean itemLong = types.get(1).equals(DataTypes.LongType);
        return fitBatches(internal.mapPartitionsToPair(it -> batchNumericRows(it, nU, userLong, itemLong)), p,
            listener, null);
      }
      return fitBatches(internal.mapPartitionsToPair(it -> batchInternalRows(it, nU)), p, listener, null);
    }
    if (numericIds) {
      cols = cols.withColumn("user", cols.col("user").cast(DataTypes.StringType))
          .withColumn("item", cols.col("item").cast(DataTypes.StringType));
    }
    return fit(cols.javaRDD(), p, listener, null);
  }

  /** The column types after the ids that the internal-row paths read: rating, ts (nullable), ord. */
  private static final List<DataType> REST_OF_SCHEMA = List.of(DataTypes.DoubleType, DataTypes.LongType,
      DataTypes.LongType);

  private static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType);
  }

  private static List<DataType> typesOf(StructType schema) {
    List<DataType> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(f.dataType());
    }
    return out;
  }

  /**
   * Trains on {@code rows}, whose columns are, by position, user string, item string, rating double, ts long
   * (nullable) and ord long, as in {@link #fit(Dataset, AlsParams, IterationListener)}.
   *
   * @param afterSetup run on the driver once set-up has read every input row and before the first iteration, or
   *     null; whatever it throws ends the fit (the blocks are released first). The train job applies its bad-row
   *     policy here, from figures gathered while set-up read the rows, so the input is parsed only once.
   */
  public static AlsResult fit(JavaRDD<Row> rows, AlsParams p, IterationListener listener, Runnable afterSetup) {
    int nU = p.numUserBlocks();
    return fitBatches(rows.mapPartitionsToPair(it -> batchByUserBlock(it, nU)), p, listener, afterSetup);
  }

  /** Trains from the ratings batched by user block (not yet shuffled): set-up, then the iterations. */
  private static AlsResult fitBatches(JavaPairRDD<Integer, RatingBatch> toUsers, AlsParams p,
      IterationListener listener, Runnable afterSetup) {
    int nU = p.numUserBlocks();
    int nI = p.numItemBlocks();
    DuplicatePolicy dup = p.duplicates();
    long setupStart = System.nanoTime();

    JavaRDD<SideBlock> userBlocks = toUsers.partitionBy(new BlockPartitioner(nU))
        .mapPartitionsWithIndex((idx, it) -> single(
            BlockBuilder.buildUserBlock(idx, values(it), nI, dup)), true)
        .setName("blockals user blocks")
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<SideBlock> itemBlocks = userBlocks
        .flatMapToPair(b -> {
          ItemBatch[] batches = BlockBuilder.toItemBatches(b, nI);
          List<Tuple2<Integer, ItemBatch>> out = new ArrayList<>(batches.length);
          for (int d = 0; d < batches.length; d++) {
            out.add(new Tuple2<>(d, batches[d]));
          }
          return out.iterator();
        })
        .partitionBy(new BlockPartitioner(nI))
        .mapPartitionsWithIndex((idx, it) -> single(BlockBuilder.buildItemBlock(idx, values(it), nU)), true)
        .setName("blockals item blocks")
        .persist(StorageLevel.MEMORY_AND_DISK());

    // Per-block figures, summed on the driver in block order so the global mean is the same on every run.
    BlockStats users;
    BlockStats items;
    try {
      // One job for both sides: the first field tells them apart (0 users, 1 items).
      List<double[]> stats = userBlocks.map(b -> blockStats(0, b))
          .union(itemBlocks.map(b -> blockStats(1, b)))
          .collect();
      users = BlockStats.of(stats, 0);
      items = BlockStats.of(stats, 1);
      if (afterSetup != null) {
        afterSetup.run();
      }
      if (items.ratings == 0) {
        throw BlockalsException.inputRejected("no ratings left to train on after validation and de-duplication");
      }
    } catch (RuntimeException | Error e) {
      userBlocks.unpersist(false);
      itemBlocks.unpersist(false);
      throw e;
    }
    double globalMean = items.ratingSum / items.ratings;
    LOG.info("set-up: {} users in {} blocks, {} items in {} blocks, {} ratings, mean {} ({} s)", users.rows, nU,
        items.rows, nI, items.ratings, String.format("%.4f", globalMean), String.format("%.2f", seconds(setupStart)));
    LOG.info("normal-equation kernel (as the driver's JVM runs it): {}",
        io.blockals.kernel.NormalEquation.kernelName(p.dim()));

    JavaRDD<FactorBlock> itemFactors = itemBlocks.map(b -> initialFactors(b, p))
        .setName("blockals item factors 0")
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<FactorBlock> userFactors = null;
    List<IterationStats> history = new ArrayList<>();
    var sc = itemBlocks.context();
    IterationLoss loss = IterationLoss.register(sc, nI);
    // Every factor RDD made, so a failed run releases them all (releasing one twice is harmless).
    List<JavaRDD<FactorBlock>> made = new ArrayList<>(List.of(itemFactors));
    try {
      int done = 0;
      while (done < p.maxIter()) {
        int last = lastOfJob(done, p.maxIter(), p.checkpointInterval());
        List<JavaRDD<FactorBlock>> userSteps = new ArrayList<>();
        List<JavaRDD<FactorBlock>> itemSteps = new ArrayList<>();
        userSteps.add(userFactors);
        itemSteps.add(itemFactors);
        String allMarked = sc.getLocalProperty(CHECKPOINT_ALL_MARKED);
        sc.setLocalProperty(CHECKPOINT_ALL_MARKED, "true");
        try {
          for (int iter = done + 1; iter <= last; iter++) {
            JavaRDD<FactorBlock> prevItems = itemSteps.get(itemSteps.size() - 1);
            JavaRDD<FactorBlock> prevUsers = userSteps.get(userSteps.size() - 1);
            JavaRDD<FactorBlock> newUsers = halfStep(prevItems, itemBlocks, userBlocks, prevUsers, nU, p, globalMean, null, iter)
                .setName("blockals user factors " + iter).persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<FactorBlock> newItems = halfStep(newUsers, userBlocks, itemBlocks, prevItems, nI, p, globalMean, loss, iter)
                .setName("blockals item factors " + iter).persist(StorageLevel.MEMORY_AND_DISK());
            userSteps.add(newUsers);
            itemSteps.add(newItems);
            made.add(newUsers);
            made.add(newItems);
          }
        } finally {
          sc.setLocalProperty(CHECKPOINT_ALL_MARKED, allMarked);
        }
        userFactors = userSteps.get(userSteps.size() - 1);
        itemFactors = itemSteps.get(itemSteps.size() - 1);
        // The last iteration is not checkpointed: its factors are written out as the model right after.
        if (p.checkpointInterval() > 0 && last % p.checkpointInterval() == 0 && last < p.maxIter()) {
          userFactors.checkpoint();
          itemFactors.checkpoint();
        }
        runIterations(done, userSteps, itemSteps, loss, history, listener, p, items.ratings);
        done = last;
      }
    } catch (RuntimeException | Error e) {
      for (JavaRDD<?> rdd : List.of(userBlocks, itemBlocks)) {
        rdd.unpersist(false);
      }
      for (JavaRDD<?> rdd : made) {
        rdd.unpersist(false);
      }
      throw e;
    }
    if (userFactors == null) {
      // max_iter = 0: users solved once from the initial items, so the model is still usable.
      userFactors = halfStep(itemFactors, itemBlocks, userBlocks, null, nU, p, globalMean, null, 0)
          .setName("blockals user factors 0").persist(StorageLevel.MEMORY_AND_DISK());
    }
    return new AlsResult(p, userBlocks, itemBlocks, userFactors, itemFactors, globalMean, users.rows, items.rows,
        items.ratings, users.allLong, items.allLong, history);
  }

  /**
   * The last iteration of the job that starts after iteration {@code done}: the next checkpoint, the end of the run,
   * or {@link #MAX_JOB_ITERATIONS} on, whichever comes first.
   */
  static int lastOfJob(int done, int maxIter, int checkpointInterval) {
    int last = Math.min(maxIter, done + MAX_JOB_ITERATIONS);
    if (checkpointInterval > 0) {
      last = Math.min(last, (done / checkpointInterval + 1) * checkpointInterval);
    }
    return last;
  }

  /**
   * Runs iterations {@code done+1 .. done+users.size()-1} as one Spark job on a helper thread and, on this thread,
   * reports each iteration as soon as its item half has finished everywhere: the loss comes from the solves through
   * {@link IterationLoss}, so it costs no job, and the time is the wall time since the previous report. Factors two
   * iterations old are released as the job moves on. A non-finite loss or a failure cancels the job and is thrown.
   *
   * @param users the factors before the first iteration (index 0, may be null) and after each iteration
   */
  private static void runIterations(int done, List<JavaRDD<FactorBlock>> users, List<JavaRDD<FactorBlock>> items,
      IterationLoss loss, List<IterationStats> history, IterationListener listener, AlsParams p,
      long numRatings) {
    int last = done + users.size() - 1;
    JavaRDD<FactorBlock> finalItems = items.get(items.size() - 1);
    var sc = finalItems.context();
    String tag = "blockals-iterations-" + java.util.UUID.randomUUID();
    // A synchronous action on its own thread rather than an asynchronous one: only the synchronous path writes the
    // checkpoints marked above. The thread inherits this thread's Spark properties (job group, pool); the tag is
    // added there only, so cancelling it cancels just this job.
    java.util.concurrent.FutureTask<Void> job = new java.util.concurrent.FutureTask<>(() -> {
      sc.addJobTag(tag);
      finalItems.foreach(f -> { });
      return null;
    });
    Thread runner = new Thread(job, "blockals iterations " + (done + 1) + "-" + last);
    runner.setDaemon(true);
    long mark = System.nanoTime();
    runner.start();
    try {
      for (int iter = done + 1; iter <= last; ) {
        double[] sums = loss.await(iter, 50);
        if (sums == null) {
          if (!job.isDone()) {
            continue;
          }
          job.get();
          sums = loss.sums(iter);
          if (sums == null) {
            throw new IllegalStateException("iteration " + iter + ": an item block did not report its loss");
          }
        }
        double total = sums[0] + sums[1] + sums[2];
        double rmse = p.implicit() ? Double.NaN : Math.sqrt(sums[0] / numRatings);
        if (!Double.isFinite(total)) {
          throw new IllegalStateException("the training loss became " + total + " at iteration " + iter
              + "; the factors diverged: raise reg_param or lower rank");
        }
        long now = System.nanoTime();
        IterationStats st = new IterationStats(iter, total, rmse, (now - mark) / 1e9);
        mark = now;
        history.add(st);
        loss.forget(iter);
        // Iteration iter is done everywhere: nothing reads the factors of iter-1 any more.
        int prev = iter - 1 - done;
        if (users.get(prev) != null) {
          users.get(prev).unpersist(false);
        }
        items.get(prev).unpersist(false);
        if (listener != null) {
          listener.onIteration(st, p.maxIter());
        }
        iter++;
      }
      job.get();
    } catch (java.util.concurrent.ExecutionException e) {
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

  /**
   * One half-iteration: the source side's factors go to the destination blocks that need them; those solve.
   * {@code dstPrevious} (may be null) are the destination's factors of the previous iteration, zipped in (a narrow
   * dependency, no shuffle) only when the solver warm-starts from them.
   */
  static JavaRDD<FactorBlock> halfStep(JavaRDD<FactorBlock> srcFactors, JavaRDD<SideBlock> srcBlocks,
      JavaRDD<SideBlock> dstBlocks, JavaRDD<FactorBlock> dstPrevious, int numDst, AlsParams s,
      double globalMean, IterationLoss loss, int iteration) {
    JavaRDD<Tuple2<Integer, FactorMessage>> msgs = srcFactors.zipPartitions(srcBlocks, (fs, bs) -> {
      List<Tuple2<Integer, FactorMessage>> out = new ArrayList<>();
      while (fs.hasNext()) {
        FactorMessage[] m = HalfStep.messages(fs.next(), bs.next(), s);
        for (int d = 0; d < m.length; d++) {
          out.add(new Tuple2<>(d, m[d]));
        }
      }
      return out.iterator();
    });
    JavaRDD<FactorMessage> routed = JavaPairRDD.fromJavaRDD(msgs).partitionBy(new BlockPartitioner(numDst)).values();
    if (dstPrevious == null || !s.solverSpec().warmStart()) {
      return dstBlocks.zipPartitions(routed,
          (bs, ms) -> single(solve(bs.next(), ms, s, globalMean, null, loss, iteration)));
    }
    JavaRDD<Tuple2<SideBlock, FactorBlock>> withPrevious = dstBlocks.zipPartitions(dstPrevious,
        (bs, fs) -> single(new Tuple2<>(bs.next(), fs.next())));
    return withPrevious.zipPartitions(routed, (ps, ms) -> {
      Tuple2<SideBlock, FactorBlock> p = ps.next();
      return single(solve(p._1(), ms, s, globalMean, p._2(), loss, iteration));
    });
  }

  /** Solves one block; with {@code loss}, scores it too and reports its share of the objective there. */
  private static FactorBlock solve(SideBlock block, Iterator<FactorMessage> received, AlsParams s,
      double globalMean, FactorBlock previous, IterationLoss loss, int iteration) {
    FactorBlock f = HalfStep.solve(block, received, s, globalMean, loss != null, previous);
    if (loss != null) {
      loss.add(new double[] {iteration, f.block, f.residualSq, f.regTerm, f.otherRegTerm});
    }
    return f;
  }

  /**
   * Initial factors: each row from its own generator seeded by (seed, id), so the start does not depend on how
   * rows fall into blocks. Gaussian, scaled to unit length (MLlib does the same); non-negative runs take |x|.
   */
  static FactorBlock initialFactors(SideBlock b, AlsParams s) {
    long seed = s.seed();
    int dim = s.dim();
    int rank = s.rank();
    float[] v = new float[b.numRows() * dim];
    for (int r = 0; r < b.numRows(); r++) {
      SplittableRandom rnd = new SplittableRandom(BlockHash.mix64(seed ^ BlockHash.hash64(b.id(r))));
      double norm = 0;
      double[] x = new double[rank];
      for (int f = 0; f < rank; f++) {
        x[f] = gaussian(rnd);
        norm += x[f] * x[f];
      }
      norm = Math.sqrt(norm);
      for (int f = 0; f < rank; f++) {
        double val = x[f] / norm;
        v[r * dim + f] = (float) (s.nonnegative() ? Math.abs(val) : val);
      }
    }
    return new FactorBlock(b.block, dim, v, 0, 0, 0);
  }

  /** Box-Muller, so the stream depends only on SplittableRandom's documented doubles. */
  private static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  private static Iterator<Tuple2<Integer, RatingBatch>> batchByUserBlock(Iterator<Row> it, int numUserBlocks) {
    Batches batches = new Batches(numUserBlocks, RatingBatch.Keys.STRINGS);
    while (it.hasNext()) {
      Row r = it.next();
      String user = r.getString(0);
      int b = BlockHash.block(user, numUserBlocks);
      long ts = r.isNullAt(3) ? RatingBatch.NO_TIMESTAMP : r.getLong(3);
      batches.of(b).add(user, r.getString(1), (float) r.getDouble(2), ts, r.getLong(4));
      batches.shipIfFull(b);
    }
    return batches.finish();
  }

  /** As {@link #batchByUserBlock}, from Spark's internal rows (reused by Spark: nothing of a row is kept). */
  private static Iterator<Tuple2<Integer, RatingBatch>> batchInternalRows(Iterator<InternalRow> it,
      int numUserBlocks) {
    Batches batches = new Batches(numUserBlocks, RatingBatch.Keys.UTF8);
    UTF8String lastUser = null;
    int b = 0;
    while (it.hasNext()) {
      InternalRow r = it.next();
      UTF8String user = r.getUTF8String(0);
      if (lastUser == null || !lastUser.equals(user)) {
        lastUser = user.copy();
        b = BlockHash.block(user, numUserBlocks);
      }
      long ts = r.isNullAt(3) ? RatingBatch.NO_TIMESTAMP : r.getLong(3);
      batches.of(b).add(user, r.getUTF8String(1), (float) r.getDouble(2), ts, r.getLong(4));
      batches.shipIfFull(b);
    }
    return batches.finish();
  }

  /**
   * As {@link #batchInternalRows}, for int or long id columns: each id is the number's decimal string, so a user goes
   * to the block its string would, but it is hashed as a string only when the user changes. A null id is refused as
   * the Row path refuses a null string.
   */
  private static Iterator<Tuple2<Integer, RatingBatch>> batchNumericRows(Iterator<InternalRow> it,
      int numUserBlocks, boolean userLong, boolean itemLong) {
    Batches batches = new Batches(numUserBlocks, RatingBatch.Keys.LONGS);
    boolean first = true;
    long lastUser = 0;
    int b = 0;
    while (it.hasNext()) {
      InternalRow r = it.next();
      if (r.isNullAt(0) || r.isNullAt(1)) {
        throw new IllegalArgumentException("a rating has a null " + (r.isNullAt(0) ? "user" : "item") + " id");
      }
      long user = userLong ? r.getLong(0) : r.getInt(0);
      long item = itemLong ? r.getLong(1) : r.getInt(1);
      if (first || user != lastUser) {
        first = false;
        lastUser = user;
        b = BlockHash.block(user, numUserBlocks);
      }
      long ts = r.isNullAt(3) ? RatingBatch.NO_TIMESTAMP : r.getLong(3);
      batches.of(b).add(user, item, (float) r.getDouble(2), ts, r.getLong(4));
      batches.shipIfFull(b);
    }
    return batches.finish();
  }

  /** One open batch per user block; a full one is shipped and the next rating of its block opens another. */
  private static final class Batches {
    private final RatingBatch.Builder[] open;
    private final RatingBatch.Keys keys;
    private final List<Tuple2<Integer, RatingBatch>> out = new ArrayList<>();

    Batches(int numBlocks, RatingBatch.Keys keys) {
      this.open = new RatingBatch.Builder[numBlocks];
      this.keys = keys;
    }

    RatingBatch.Builder of(int block) {
      if (open[block] == null) {
        open[block] = new RatingBatch.Builder(BATCH, keys);
      }
      return open[block];
    }

    void shipIfFull(int block) {
      if (open[block].isFull()) {
        out.add(new Tuple2<>(block, open[block].build()));
        open[block] = null;
      }
    }

    Iterator<Tuple2<Integer, RatingBatch>> finish() {
      for (int b = 0; b < open.length; b++) {
        if (open[b] != null && !open[b].isEmpty()) {
          out.add(new Tuple2<>(b, open[b].build()));
        }
      }
      return out.iterator();
    }
  }

  private static <V> Iterator<V> values(Iterator<Tuple2<Integer, V>> it) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public V next() {
        return it.next()._2();
      }
    };
  }

  private static <T> Iterator<T> single(T t) {
    return Collections.singletonList(t).iterator();
  }

  private static double[] sumInBlockOrder(List<double[]> parts) {
    List<double[]> sorted = new ArrayList<>(parts);
    sorted.sort((a, b) -> Double.compare(a[0], b[0]));
    double[] sum = new double[sorted.isEmpty() ? 0 : sorted.get(0).length];
    for (double[] part : sorted) {
      for (int t = 1; t < part.length; t++) {
        sum[t] += part[t];
      }
    }
    return sum;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** side, block, rows, ratings, rating sum, all ids long (1/0) of one block. */
  private static double[] blockStats(int side, SideBlock b) {
    return new double[] {side, b.block, b.numRows(), b.numRatings(), b.ratingSum(), b.idsAllLong() ? 1 : 0};
  }

  /** Sums of the per-block set-up figures of one side. */
  private record BlockStats(long rows, long ratings, double ratingSum, boolean allLong) {
    static BlockStats of(List<double[]> all, int side) {
      List<double[]> parts = all.stream().filter(x -> x[0] == side)
          .map(x -> java.util.Arrays.copyOfRange(x, 1, x.length)).toList();
      double[] s = sumInBlockOrder(parts);
      boolean allLong = parts.stream().allMatch(x -> x[4] == 1);
      return new BlockStats((long) s[1], (long) s[2], s[3], allLong);
    }
  }
}
