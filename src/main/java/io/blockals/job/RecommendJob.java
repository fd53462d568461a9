package io.blockals.job;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;

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
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
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
    try {
      PublishedModel pm = PublishedModel.open(spark, model);
      DataType userType = pm.users().schema().apply("id").dataType();
      DataType itemType = pm.items().schema().apply("id").dataType();
      int parts = Math.max(1, spark.sparkContext().defaultParallelism());

      JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(pm.items()).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<FactorBlock> itemBlocks = ServeBlocks.itemBlocks(sorted, parts, false)
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> itemIds = ServeBlocks.itemIds(spark, sorted, itemType, "item");

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
      if (excludeSeen != null) {
        in = RatingsReader.read(spark, excludeSeen, spec);
        Dataset<Row> ratings = in.ratings().select(col("user").as("s_user"), col("item").as("s_item"));
        // Only (user, position) pairs of ratings cross this join: its size is the ratings', never users x items.
        Dataset<Row> seen = ratings.join(itemIds.select(col("pos"), col("item").cast("string").as("s_id")),
                col("s_item").equalTo(col("s_id")))
            .groupBy("s_user").agg(array_sort(collect_set(col("pos"))).as("excluded"));
        Column none = array().cast("array<int>");
        u = u.join(seen, u.col("id").cast("string").equalTo(seen.col("s_user")), "left")
            .select(col("id"), col("bias"), col("features"), array_sort(array_distinct(
                concat(coalesce(col("seen"), none), coalesce(col("excluded"), none)))).as("seen"));
      }
      JavaRDD<FactorBlock> userBlocks = u.repartition(parts).javaRDD()
          .mapPartitions(RecommendJob::userBlocks).persist(StorageLevel.MEMORY_AND_DISK());

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
      Dataset<Row> ranked = spark.createDataFrame(ServeBlocks.rows(merged), ServeBlocks.rowSchema(userType, "user"));
      Dataset<Row> out = ranked.join(itemIds, "pos").select("user", "item", "score", "rank");
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
      committer.abort();
    }
  }

  /** Query blocks of {@code ServeBlocks.USER_BLOCK} rows (id, bias, features, seen positions or null). */
  public static java.util.Iterator<FactorBlock> userBlocks(java.util.Iterator<Row> rows) {
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
