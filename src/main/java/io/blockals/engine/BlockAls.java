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
 * iterations (up to the next checkpoint); the loss of each comes back through an accumulator as its last half ends
 * (the items with explicit feedback, the users with implicit), so logging it costs no job and no stage.
 */
public final class BlockAls {
  private static final Logger LOG = LoggerFactory.getLogger(BlockAls.class);
  private static final int BATCH = 8192;
  /** At most this many iterations run in one Spark job, which bounds the lineage a job's scheduler walks. */
  static final int MAX_JOB_ITERATIONS = 20;
  /**
   * Spark's local property (RDD.CHECKPOINT_ALL_MARKED_ANCESTORS): without it a job checkpoints only the last marked
   * RDD of its lineage, and the first half of a checkpointed iteration would need a job of its own. An RDD reads it
   * when it is created, so it is set while the iterations' RDDs are built.
   */
  static final String CHECKPOINT_ALL_MARKED = "spark.checkpoint.checkpointAllMarkedAncestors";

  private BlockAls() {}

  /**
   * Trains on {@code ratings} (columns user, item, rating double, ts long nullable, ord long). User and item ids are
   * strings, or ints or longs; a numeric id stands for its decimal string ({@code 42} and {@code "42"} are one id, and
   * the model holds the same ids and factors either way), but it is read and hashed as a number, which makes set-up
   * cheaper. The returned result holds persisted RDDs; call {@link AlsResult#unpersist()} when done with it.
   */
  public static AlsResult fit(Dataset<Row> ratings, AlsParams p, IterationListener listener) {
    return fit(ratings, p, listener, FitOptions.NONE);
  }

  /** {@link #fit(Dataset, AlsParams, IterationListener)} with a warm start and/or held-out pairs. */
  public static AlsResult fit(Dataset<Row> ratings, AlsParams p, IterationListener listener, FitOptions options) {
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
            listener, null, options);
      }
      return fitBatches(internal.mapPartitionsToPair(it -> batchInternalRows(it, nU)), p, listener, null, options);
    }
    if (numericIds) {
      cols = cols.withColumn("user", cols.col("user").cast(DataTypes.StringType))
          .withColumn("item", cols.col("item").cast(DataTypes.StringType));
    }
    return fit(cols.javaRDD(), p, listener, null, options);
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
    return fit(rows, p, listener, afterSetup, FitOptions.NONE);
  }

  /** {@link #fit(JavaRDD, AlsParams, IterationListener, Runnable)} with a warm start and/or held-out pairs. */
  public static AlsResult fit(JavaRDD<Row> rows, AlsParams p, IterationListener listener, Runnable afterSetup,
      FitOptions options) {
    int nU = p.numUserBlocks();
    return fitBatches(rows.mapPartitionsToPair(it -> batchByUserBlock(it, nU)), p, listener, afterSetup, options);
  }

  /**
   * As {@link #fit(JavaRDD, AlsParams, IterationListener, Runnable, FitOptions)}, from rows in Spark's internal form:
   * user and item {@code UTF8String}s, rating double, ts long (nullable), ord long. The rows may be reused by their
   * source (nothing of a row is kept past the next one), and ids are hashed and de-duplicated per batch from their
   * UTF-8 bytes, so no id becomes a Java string before set-up's blocks are built.
   */
  public static AlsResult fitInternalRows(JavaRDD<InternalRow> rows, AlsParams p, IterationListener listener,
      Runnable afterSetup, FitOptions options) {
    int nU = p.numUserBlocks();
    return fitBatches(rows.mapPartitionsToPair(it -> batchInternalRows(it, nU)), p, listener, afterSetup, options);
  }

  /** Trains from the ratings batched by user block (not yet shuffled): set-up, the start, the iterations. */
  private static AlsResult fitBatches(JavaPairRDD<Integer, RatingBatch> toUsers, AlsParams p,
      IterationListener listener, Runnable afterSetup, FitOptions options) {
    Blocks blocks = setUp(toUsers, p, afterSetup);
    Training run = new Training(blocks, p, listener);
    try {
      run.start(options.warmStart());
      run.validate(options.validation());
      run.iterate();
      return run.result();
    } catch (RuntimeException | Error e) {
      run.release();
      throw e;
    }
  }

  /**
   * The blocks of both sides, cached, and what set-up learnt about them.
   *
   * @param globalMean the mean of the training ratings (used only with biases)
   */
  record Blocks(JavaRDD<SideBlock> userBlocks, JavaRDD<SideBlock> itemBlocks, BlockStats users, BlockStats items,
      double globalMean) {}

  /**
   * Set-up: the ratings shuffled by user block (de-duplicated there) and, from the user blocks, by item block; one
   * job for the figures of both sides. Runs {@code afterSetup} once every input row has been read.
   */
  private static Blocks setUp(JavaPairRDD<Integer, RatingBatch> toUsers, AlsParams p, Runnable afterSetup) {
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
    return new Blocks(userBlocks, itemBlocks, users, items, globalMean);
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
   * One half-iteration: the source side's factors go to the destination blocks that need them; those solve.
   * {@code dstPrevious} (may be null) are the destination's factors of the previous iteration, zipped in (a narrow
   * dependency, no shuffle) only when the solver warm-starts from them. With {@code validation} (the last half of an
   * iteration only), the destination blocks also receive the source side's new factors of their held-out pairs and
   * score those pairs in the same stage.
   */
  static JavaRDD<FactorBlock> halfStep(JavaRDD<FactorBlock> srcFactors, JavaRDD<SideBlock> srcBlocks,
      JavaRDD<SideBlock> dstBlocks, JavaRDD<FactorBlock> dstPrevious, int numDst, AlsParams s,
      double globalMean, IterationLoss loss, int iteration, ValidationSet validation) {
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
    boolean withPrevious = dstPrevious != null && s.solverSpec().warmStart();
    if (validation == null) {
      if (!withPrevious) {
        return dstBlocks.zipPartitions(routed,
            (bs, ms) -> single(solve(bs.next(), ms, s, globalMean, null, loss, iteration, null)));
      }
      JavaRDD<Tuple2<SideBlock, FactorBlock>> blocksWithPrevious = dstBlocks.zipPartitions(dstPrevious,
          (bs, fs) -> single(new Tuple2<>(bs.next(), fs.next())));
      return blocksWithPrevious.zipPartitions(routed, (ps, ms) -> {
        Tuple2<SideBlock, FactorBlock> p = ps.next();
        return single(solve(p._1(), ms, s, globalMean, p._2(), loss, iteration, null));
      });
    }
    int numSrc = srcBlocks.getNumPartitions();
    double mu = s.biases() ? globalMean : 0.0;
    JavaRDD<SolveInput> in = dstBlocks.zipPartitions(validation.pairs,
        (bs, vs) -> single(new SolveInput(bs.next(), vs.next())));
    if (withPrevious) {
      in = in.zipPartitions(dstPrevious, (is, fs) -> single(is.next().withPrevious(fs.next())));
    }
    in = in.zipPartitions(validation.messages(srcFactors), (is, ms) -> {
      SolveInput x = is.next();
      ms.forEachRemaining(x.validationRows::add);
      return single(x);
    });
    return in.zipPartitions(routed, (is, ms) -> {
      SolveInput x = is.next();
      return single(solve(x.block, ms, s, globalMean, x.previous, loss, iteration,
          f -> ValidationSet.score(x.pairs, x.validationRows, f, s, mu, numSrc)));
    });
  }

  /** What one block's solve reads besides the factor messages, when it also scores held-out pairs. */
  private static final class SolveInput {
    final SideBlock block;
    final ValidationPairs pairs;
    final List<FactorMessage> validationRows = new ArrayList<>();
    FactorBlock previous;

    SolveInput(SideBlock block, ValidationPairs pairs) {
      this.block = block;
      this.pairs = pairs;
    }

    SolveInput withPrevious(FactorBlock f) {
      previous = f;
      return this;
    }
  }

  /**
   * Solves one block; with {@code loss}, scores it too and reports its share of the objective there, and, with
   * {@code heldOut}, the squared error and count of its held-out pairs under the new factors.
   */
  private static FactorBlock solve(SideBlock block, Iterator<FactorMessage> received, AlsParams s,
      double globalMean, FactorBlock previous, IterationLoss loss, int iteration,
      java.util.function.Function<FactorBlock, double[]> heldOut) {
    FactorBlock f = HalfStep.solve(block, received, s, globalMean, loss != null, previous);
    if (loss != null) {
      if (heldOut == null) {
        loss.add(new double[] {iteration, f.block, f.residualSq, f.regTerm, f.otherRegTerm});
      } else {
        double[] v = heldOut.apply(f);
        loss.add(new double[] {iteration, f.block, f.residualSq, f.regTerm, f.otherRegTerm, v[0], v[1]});
      }
    }
    return f;
  }

  /**
   * Initial factors: each row from its own generator seeded by (seed, id), so the start does not depend on how
   * rows fall into blocks. Gaussian, scaled to unit length (MLlib does the same); non-negative runs take |x|.
   */
  static FactorBlock initialFactors(SideBlock b, AlsParams s) {
    int dim = s.dim();
    float[] v = new float[b.numRows() * dim];
    for (int r = 0; r < b.numRows(); r++) {
      seedRow(s, b.id(r), v, r * dim);
    }
    return new FactorBlock(b.block, dim, v, 0, 0, 0);
  }

  /** The seeded initial features of {@code id} into {@code v[off .. off+rank)}; the bias slot is left as it is. */
  static void seedRow(AlsParams s, String id, float[] v, int off) {
    int rank = s.rank();
    SplittableRandom rnd = new SplittableRandom(BlockHash.mix64(s.seed() ^ BlockHash.hash64(id)));
    double norm = 0;
    double[] x = new double[rank];
    for (int f = 0; f < rank; f++) {
      x[f] = gaussian(rnd);
      norm += x[f] * x[f];
    }
    norm = Math.sqrt(norm);
    for (int f = 0; f < rank; f++) {
      double val = x[f] / norm;
      v[off + f] = (float) (s.nonnegative() ? Math.abs(val) : val);
    }
  }

  /** Box-Muller, so the stream depends only on SplittableRandom's documented doubles. */
  private static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  static Iterator<Tuple2<Integer, RatingBatch>> batchByUserBlock(Iterator<Row> it, int numUserBlocks) {
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
  static Iterator<Tuple2<Integer, RatingBatch>> batchInternalRows(Iterator<InternalRow> it,
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
  record BlockStats(long rows, long ratings, double ratingSum, boolean allLong) {
    static BlockStats of(List<double[]> all, int side) {
      List<double[]> parts = all.stream().filter(x -> x[0] == side)
          .map(x -> java.util.Arrays.copyOfRange(x, 1, x.length)).toList();
      double[] s = sumInBlockOrder(parts);
      boolean allLong = parts.stream().allMatch(x -> x[4] == 1);
      return new BlockStats((long) s[1], (long) s[2], s[3], allLong);
    }
  }
}
