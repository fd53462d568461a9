package io.blockals.job;

import static org.apache.spark.sql.functions.col;

import io.blockals.BlockalsException;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.ModelCommitter;
import io.blockals.model.PublishedModel;
import io.blockals.serve.BlockScorer;
import io.blockals.serve.FactorBlock;
import io.blockals.serve.TopK;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code recommend}: the top K unseen items of each model user. Users and items are cut into blocks, every user block
 * meets every item block once (a cartesian product of blocks, not of pairs), each block pair leaves one bounded heap
 * per user, and the heaps of a user block are merged by a reduce. Seen items travel with their user as a sorted
 * array of item positions, checked inside the block pair ({@link BlockScorer}). With {@code --for-ratings} the
 * users are not the model's but folded in from their ratings ({@link RecommendFoldIn}) and scored the same way.
 *
 * <p>Data flow, all on the executors but the item ids: {@code --exclude-seen} ratings are parsed as train parses its
 * input (validated on the way) and grouped per user by {@link SeenItems} into the hash partitions the user rows are
 * shuffled into, where each partition's users and seen groups are zipped into query blocks. The item ids, in
 * position order, are broadcast twice: as a map from id text to position for the seen ratings, and as an array that
 * names the item of each recommended position in the output rows.
 */
public final class RecommendJob {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);
  static final String COMMAND = "recommend";

  private RecommendJob() {}

  /** What a run wrote. */
  public record Outcome(String output, long rows, double seconds) {}

  /**
   * @param excludeSeen ratings whose (user, item) pairs are never recommended; null for none
   * @param users ids of the users to recommend for (a file of ids or a column {@code user}); null for all
   */
  public static Outcome run(SparkSession spark, String model, int topK, String excludeSeen, String users,
      InputSpec spec, String output) {
    return run(spark, model, topK, null, excludeSeen, users, spec, output);
  }

  /**
   * @param forRatings ratings of users to fold in ({@link RecommendFoldIn}): they are the users recommended for,
   *     each solved from its ratings there alone, and their rated items are excluded; null for the model's users
   * @param excludeSeen ratings whose (user, item) pairs are never recommended; null for none
   * @param users ids of the users to recommend for (a file of ids or a column {@code user}); null for all
   */
  public static Outcome run(SparkSession spark, String model, int topK, String forRatings, String excludeSeen,
      String users, InputSpec spec, String output) {
    if (topK < 1) {
      throw BlockalsException.usage("--top-k must be at least 1, got " + topK);
    }
    long start = System.nanoTime();
    ModelCommitter committer = prepare(spark, output, COMMAND);
    RatingsInput in = null;
    RatingsInput fold = null;
    Dataset<Row> folded = null;
    Broadcast<Object[]> itemIds = null;
    Broadcast<HashMap<String, Integer>> positions = null;
    try {
      PublishedModel pm = PublishedModel.open(spark, model);
      DataType userType = pm.users().schema().apply("id").dataType();
      DataType itemType = pm.items().schema().apply("id").dataType();
      int parts = Math.max(1, spark.sparkContext().defaultParallelism());

      JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(pm.items()).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<FactorBlock> itemBlocks = ServeBlocks.itemBlocks(sorted, parts, false)
          .persist(StorageLevel.MEMORY_AND_DISK());
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Object[] idsByPosition = SeenItems.idsByPosition(sorted);
      itemIds = jsc.broadcast(idsByPosition);

      Dataset<Row> u;
      if (forRatings != null) {
        fold = RatingsReader.read(spark, forRatings, spec);
        folded = RecommendFoldIn.users(spark, pm, model, forRatings, fold.ratings(), sorted, userType, parts);
        u = folded.filter(col("features").isNotNull()).select("id", "bias", "features", "seen");
      } else {
        u = pm.users().selectExpr("id", "bias", "features", "cast(null as array<int>) as seen");
      }
      if (users != null) {
        Dataset<Row> wanted = RatingsReader.readIds(spark, users, spec, "user");
        u = u.join(wanted, u.col("id").cast("string").equalTo(wanted.col("id")), "left_semi");
      }
      // Users and their seen items meet by the text of the user id, in the partitions of one partitioner.
      Partitioner byUser = new HashPartitioner(parts);
      JavaPairRDD<String, QueryUser> queryUsers = u.javaRDD()
          .mapToPair(r -> new Tuple2<>(r.get(0).toString(), QueryUser.of(r)))
          .partitionBy(byUser);
      JavaRDD<FactorBlock> userBlocks;
      if (excludeSeen != null) {
        // Read as train reads its input: parsed once, validated on the way (the bad-row policy applies below).
        in = RatingsReader.open(spark, excludeSeen, spec);
        positions = jsc.broadcast(SeenItems.positions(idsByPosition));
        JavaPairRDD<String, int[]> seen = SeenItems.byUser(in.trainingRows(null), positions, byUser);
        userBlocks = queryUsers.zipPartitions(seen, RecommendJob::queryBlocks);
      } else {
        userBlocks = queryUsers.mapPartitions(us -> queryBlocks(us, Collections.emptyIterator()));
      }
      userBlocks.persist(StorageLevel.MEMORY_AND_DISK());
      if (in != null) {
        // Building the blocks read every seen rating: the input's figures are complete, so a rejected input fails
        // here, before any pair is scored.
        userBlocks.count();
        in.finishRead();
      }

      double mu = pm.globalMean();
      JavaRDD<ServeBlocks.Partial> merged = userBlocks.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1))
          .cartesian(itemBlocks)
          .mapToPair(p -> {
            FactorBlock ub = p._1._2;
            TopK[] heaps = ServeBlocks.heaps(ub.rows(), topK);
            BlockScorer.score(ub, p._2, mu, heaps);
            return new Tuple2<>(p._1._1, new ServeBlocks.Partial(ub.keys(), heaps));
          })
          .reduceByKey(ServeBlocks.Partial::merge)
          .values();
      Dataset<Row> out = spark.createDataFrame(ServeBlocks.rows(merged, itemIds),
          ServeBlocks.resultSchema(userType, "user", itemType, "item"));
      long rows = write(committer, out);
      sorted.unpersist();
      itemBlocks.unpersist();
      userBlocks.unpersist();
      if (folded != null) {
        folded.unpersist();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info("{} recommendations written to {} in {} s", rows, committer.target(),
          String.format("%.1f", seconds));
      return new Outcome(committer.target().toString(), rows, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (in != null) {
        in.close();
      }
      if (fold != null) {
        fold.close();
      }
      if (itemIds != null) {
        itemIds.destroy();
      }
      if (positions != null) {
        positions.destroy();
      }
      committer.abort();
    }
  }

  /**
   * Query blocks of up to {@link ServeBlocks#USER_BLOCK} users of one partition, each user's seen positions the
   * union of its own (fold-in) and those {@code seen} holds for it; {@code seen} is the same partition of the seen
   * groups ({@link SeenItems#byUser}), whose users without a row here are dropped.
   */
  static Iterator<FactorBlock> queryBlocks(Iterator<Tuple2<String, QueryUser>> users,
      Iterator<Tuple2<String, int[]>> seen) {
    Map<String, int[]> byUser = new HashMap<>();
    while (seen.hasNext()) {
      Tuple2<String, int[]> t = seen.next();
      byUser.put(t._1, t._2);
    }
    List<FactorBlock> blocks = new ArrayList<>();
    List<QueryUser> chunk = new ArrayList<>();
    List<int[]> chunkSeen = new ArrayList<>();
    while (users.hasNext()) {
      Tuple2<String, QueryUser> t = users.next();
      chunk.add(t._2);
      chunkSeen.add(SeenItems.union(t._2.seen, byUser.get(t._1)));
      if (chunk.size() == ServeBlocks.USER_BLOCK || !users.hasNext()) {
        blocks.add(block(chunk, chunkSeen));
        chunk = new ArrayList<>();
        chunkSeen = new ArrayList<>();
      }
    }
    return blocks.iterator();
  }

  private static FactorBlock block(List<QueryUser> chunk, List<int[]> seen) {
    int n = chunk.size();
    int rank = chunk.get(0).features.length;
    Object[] keys = new Object[n];
    float[] bias = new float[n];
    float[] f = new float[n * rank];
    for (int r = 0; r < n; r++) {
      QueryUser q = chunk.get(r);
      if (q.features.length != rank) {
        throw new IllegalStateException("factor row " + q.id + " has " + q.features.length + " features, expected "
            + rank);
      }
      keys[r] = q.id;
      bias[r] = q.bias;
      System.arraycopy(q.features, 0, f, r * rank, rank);
    }
    return new FactorBlock(keys, null, bias, f, rank, seen.toArray(new int[0][]));
  }

  /** A user on its way to a query block: id (the model's type), bias, features and its own seen positions or null. */
  static final class QueryUser implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object id;
    final float bias;
    final float[] features;
    final int[] seen;

    QueryUser(Object id, float bias, float[] features, int[] seen) {
      this.id = id;
      this.bias = bias;
      this.features = features;
      this.seen = seen;
    }

    /** From a row (id, bias, features, seen positions or null). */
    static QueryUser of(Row row) {
      List<Object> feats = row.getList(2);
      float[] f = new float[feats.size()];
      for (int j = 0; j < f.length; j++) {
        f[j] = ((Number) feats.get(j)).floatValue();
      }
      int[] seen = null;
      if (!row.isNullAt(3)) {
        List<Object> s = row.getList(3);
        seen = new int[s.size()];
        for (int j = 0; j < seen.length; j++) {
          seen[j] = ((Number) s.get(j)).intValue();
        }
        seen = SeenItems.sortedDistinct(seen, seen.length);
      }
      return new QueryUser(row.get(0), row.isNullAt(1) ? 0f : row.getFloat(1), f, seen);
    }
  }

  /** Query blocks of {@code ServeBlocks.USER_BLOCK} rows (id, bias, features, seen positions or null). */
  public static Iterator<FactorBlock> userBlocks(Iterator<Row> rows) {
    return ServeBlocks.inUserBlocks(rows, RecommendJob::userBlock);
  }

  private static FactorBlock userBlock(List<Row> chunk) {
    int n = chunk.size();
    int rank = chunk.get(0).getList(2).size();
    Object[] keys = new Object[n];
    float[] bias = new float[n];
    float[] f = new float[n * rank];
    int[][] seen = new int[n][];
    for (int r = 0; r < n; r++) {
      Row row = chunk.get(r);
      keys[r] = row.get(0);
      bias[r] = row.isNullAt(1) ? 0f : row.getFloat(1);
      ServeBlocks.copyFeatures(row.getList(2), f, r * rank, rank, row.get(0));
      if (!row.isNullAt(3)) {
        List<Object> s = row.getList(3);
        int[] a = new int[s.size()];
        for (int j = 0; j < a.length; j++) {
          a[j] = ((Number) s.get(j)).intValue();
        }
        seen[r] = a;
      }
    }
    return new FactorBlock(keys, null, bias, f, rank, seen);
  }

  /** Every serve command's output goes through here, so its committing is decided in one place. */
  static ModelCommitter prepare(SparkSession spark, String output, String command) {
    return ModelCommitter.prepareOutput(output, spark.sparkContext().hadoopConfiguration(), command);
  }

  static long write(ModelCommitter committer, Dataset<Row> out) throws IOException {
    Dataset<Row> cached = out.persist(StorageLevel.MEMORY_AND_DISK());
    cached.write().mode("append").parquet(committer.staging().toString());
    long rows = cached.count();
    cached.unpersist();
    committer.commit();
    return rows;
  }
}
