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
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The Spark plumbing of block-wise ALS: two set-up shuffles build the blocks once; each half-iteration is one
 * shuffle of factor messages and one stage that solves and scores; one small job per iteration collects the loss
 * (a handful of numbers per block, never data).
 */
public final class BlockAls {
  private static final Logger LOG = LoggerFactory.getLogger(BlockAls.class);
  private static final int BATCH = 8192;
  /**
   * Spark's local property (RDD.CHECKPOINT_ALL_MARKED_ANCESTORS): without it a job checkpoints only the last marked
   * RDD of its lineage, and the user half of a checkpointed iteration would need a job of its own. An RDD reads it
   * when it is created, so it is set while the iterations' RDDs are built.
   */
  private static final String CHECKPOINT_ALL_MARKED = "spark.checkpoint.checkpointAllMarkedAncestors";

  private BlockAls() {}

  /**
   * Trains on {@code ratings} (columns user string, item string, rating double, ts long nullable, ord long).
   * The returned result holds persisted RDDs; call {@link AlsResult#unpersist()} when done with it.
   */
  public static AlsResult fit(Dataset<Row> ratings, AlsParams p, IterationListener listener) {
    return fit(ratings.select("user", "item", "rating", "ts", "ord").javaRDD(), p, listener, null);
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
    int nI = p.numItemBlocks();
    DuplicatePolicy dup = p.duplicates();
    long setupStart = System.nanoTime();

    JavaPairRDD<Integer, RatingBatch> toUsers = rows.mapPartitionsToPair(it -> batchByUserBlock(it, nU));
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
    SolveSettings s = p.settings(globalMean);
    LOG.info("set-up: {} users in {} blocks, {} items in {} blocks, {} ratings, mean {} ({} s)", users.rows, nU,
        items.rows, nI, items.ratings, String.format("%.4f", globalMean), String.format("%.2f", seconds(setupStart)));

    JavaRDD<FactorBlock> itemFactors = itemBlocks.map(b -> initialFactors(b, s, p.seed()))
        .setName("blockals item factors 0")
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<FactorBlock> userFactors = null;
    List<IterationStats> history = new ArrayList<>();
    var sc = itemBlocks.context();
    String allMarked = sc.getLocalProperty(CHECKPOINT_ALL_MARKED);
    sc.setLocalProperty(CHECKPOINT_ALL_MARKED, "true");
    try {
      for (int iter = 1; iter <= p.maxIter(); iter++) {
        long start = System.nanoTime();
        JavaRDD<FactorBlock> newUsers = halfStep(itemFactors, itemBlocks, userBlocks, userFactors, nU, s, false)
            .setName("blockals user factors " + iter)
            .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<FactorBlock> newItems = halfStep(newUsers, userBlocks, itemBlocks, itemFactors, nI, s, true)
            .setName("blockals item factors " + iter)
            .persist(StorageLevel.MEMORY_AND_DISK());
        boolean checkpoint = p.checkpointInterval() > 0 && iter % p.checkpointInterval() == 0;
        if (checkpoint) {
          newUsers.checkpoint();
          newItems.checkpoint();
        }
        // The one job of the iteration: materialises both halves (and, at a checkpoint, writes both; see
        // CHECKPOINT_ALL_MARKED) and brings back three numbers per block.
        List<double[]> parts = newItems.map(f -> new double[] {f.block, f.residualSq, f.regTerm, f.otherRegTerm})
            .collect();
        double[] sums = sumInBlockOrder(parts);
        double loss = sums[1] + sums[2] + sums[3];
        double rmse = p.implicit() ? Double.NaN : Math.sqrt(sums[1] / items.ratings);
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException("the training loss became " + loss + " at iteration " + iter
              + "; the factors diverged: raise reg_param or lower rank");
        }
        itemFactors.unpersist(false);
        if (userFactors != null) {
          userFactors.unpersist(false);
        }
        itemFactors = newItems;
        userFactors = newUsers;
        IterationStats st = new IterationStats(iter, loss, rmse, seconds(start));
        history.add(st);
        if (listener != null) {
          listener.onIteration(st, p.maxIter());
        }
      }
    } finally {
      sc.setLocalProperty(CHECKPOINT_ALL_MARKED, allMarked);
    }
    if (userFactors == null) {
      // max_iter = 0: users solved once from the initial items, so the model is still usable.
      userFactors = halfStep(itemFactors, itemBlocks, userBlocks, null, nU, s, false)
          .setName("blockals user factors 0").persist(StorageLevel.MEMORY_AND_DISK());
    }
    return new AlsResult(p, userBlocks, itemBlocks, userFactors, itemFactors, globalMean, users.rows, items.rows,
        items.ratings, users.allLong, items.allLong, history);
  }

  /**
   * One half-iteration: the source side's factors go to the destination blocks that need them; those solve.
   * {@code dstPrevious} (may be null) are the destination's factors of the previous iteration, zipped in (a narrow
   * dependency, no shuffle) only when the solver warm-starts from them.
   */
  static JavaRDD<FactorBlock> halfStep(JavaRDD<FactorBlock> srcFactors, JavaRDD<SideBlock> srcBlocks,
      JavaRDD<SideBlock> dstBlocks, JavaRDD<FactorBlock> dstPrevious, int numDst, SolveSettings s,
      boolean computeLoss) {
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
    if (dstPrevious == null || !HalfStep.usesWarmStart(s)) {
      return dstBlocks.zipPartitions(routed, (bs, ms) -> single(HalfStep.solve(bs.next(), ms, s, computeLoss, null)));
    }
    JavaRDD<Tuple2<SideBlock, FactorBlock>> withPrevious = dstBlocks.zipPartitions(dstPrevious,
        (bs, fs) -> single(new Tuple2<>(bs.next(), fs.next())));
    return withPrevious.zipPartitions(routed, (ps, ms) -> {
      Tuple2<SideBlock, FactorBlock> p = ps.next();
      return single(HalfStep.solve(p._1(), ms, s, computeLoss, p._2()));
    });
  }

  /**
   * Initial factors: each row from its own generator seeded by (seed, id), so the start does not depend on how
   * rows fall into blocks. Gaussian, scaled to unit length (MLlib does the same); non-negative runs take |x|.
   */
  static FactorBlock initialFactors(SideBlock b, SolveSettings s, long seed) {
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
    RatingBatch.Builder[] open = new RatingBatch.Builder[numUserBlocks];
    List<Tuple2<Integer, RatingBatch>> out = new ArrayList<>();
    while (it.hasNext()) {
      Row r = it.next();
      String user = r.getString(0);
      int b = BlockHash.block(user, numUserBlocks);
      if (open[b] == null) {
        open[b] = new RatingBatch.Builder(BATCH);
      }
      long ts = r.isNullAt(3) ? RatingBatch.NO_TIMESTAMP : r.getLong(3);
      open[b].add(user, r.getString(1), (float) r.getDouble(2), ts, r.getLong(4));
      if (open[b].isFull()) {
        out.add(new Tuple2<>(b, open[b].build()));
        open[b] = null;
      }
    }
    for (int b = 0; b < numUserBlocks; b++) {
      if (open[b] != null && !open[b].isEmpty()) {
        out.add(new Tuple2<>(b, open[b].build()));
      }
    }
    return out.iterator();
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
