package io.blockals.job;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.struct;

import io.blockals.metrics.EvalUsers;
import io.blockals.metrics.MetricSums;
import io.blockals.metrics.RankingResult;
import io.blockals.metrics.RankingScan;
import io.blockals.metrics.UserRanking;
import io.blockals.model.PublishedModel;
import io.blockals.serve.FactorBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The ranking metrics of {@code evaluate}, on the executors. Each evaluated user (one with a held-out positive the
 * model can rank) is ranked against every item of the model except the user's train items: user blocks meet item
 * blocks once each (as in {@code recommend}), every block pair leaves one {@link UserRanking} per user (top-k heap
 * and exact AUC counts), the rankings of a user block are merged by a reduce, and only the per-metric sums reach the
 * driver.
 *
 * <p>Positives whose user or item the model does not know cannot be ranked and are left out (the cold counts of
 * {@code evaluate} say how many pairs that concerns), and so is a positive that is also a train item of its user.
 */
final class RankingEvaluation {
  private RankingEvaluation() {}

  /**
   * @param positives held-out relevant pairs, string columns {@code user, item}
   * @param train the users' train pairs (string columns {@code user, item}), excluded from their rankings; null
   *     ranks every item
   */
  static RankingResult run(SparkSession spark, PublishedModel pm, Dataset<Row> positives, Dataset<Row> train,
      int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int parts = Math.max(1, spark.sparkContext().defaultParallelism());
    DataType itemType = pm.items().schema().apply("id").dataType();
    JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(pm.items()).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<FactorBlock> itemBlocks = ServeBlocks.itemBlocks(sorted, parts, false)
        .setName("blockals evaluate item blocks").persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<EvalUsers> userBlocks = null;
    try {
      Dataset<Row> positions = ServeBlocks.itemIds(spark, sorted, itemType, "item")
          .select(col("pos"), col("item").cast("string").as("p_item"));
      Dataset<Row> held = positives.select("user", "item").distinct()
          .join(positions, col("item").equalTo(col("p_item"))).select("user", "item", "pos");
      Dataset<Row> seen = null;
      if (train != null) {
        seen = train.select("user", "item").distinct()
            .join(positions, col("item").equalTo(col("p_item")))
            .select(col("user").as("s_user"), col("pos").as("s_pos"));
        held = held.join(seen, col("user").equalTo(col("s_user")).and(col("pos").equalTo(col("s_pos"))), "left_anti");
      }
      Dataset<Row> users = pm.users().select(col("id"), col("id").cast("string").as("uid"), col("bias"),
          col("features"));
      Dataset<Row> withScores = scorePositives(spark, held, users, pm);
      Dataset<Row> byUser = withScores.groupBy("user")
          .agg(collect_list(struct(col("pos"), col("score"))).as("positives"));
      Dataset<Row> evaluated = users.join(byUser, col("uid").equalTo(col("user")));
      if (seen != null) {
        Dataset<Row> seenByUser = seen.groupBy(col("s_user")).agg(array_sort(collect_set(col("s_pos"))).as("seen"));
        evaluated = evaluated.join(seenByUser, col("uid").equalTo(col("s_user")), "left")
            .select(col("id"), col("bias"), col("features"), col("positives"), col("seen"));
      } else {
        evaluated = evaluated.selectExpr("id", "bias", "features", "positives", "cast(null as array<int>) as seen");
      }
      userBlocks = evaluated.repartition(parts).javaRDD().mapPartitions(RankingEvaluation::userBlocks)
          .setName("blockals evaluate user blocks").persist(StorageLevel.MEMORY_AND_DISK());

      double mu = pm.globalMean();
      spark.sparkContext().setJobDescription("blockals evaluate: rank every unseen item for each test user");
      MetricSums sums = userBlocks.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1))
          .cartesian(itemBlocks)
          .mapToPair(p -> {
            EvalUsers eu = p._1._2;
            UserRanking[] rankings = RankingScan.start(eu, k);
            RankingScan.scan(eu, p._2, mu, rankings);
            return new Tuple2<>(p._1._1, rankings);
          })
          .reduceByKey(RankingEvaluation::merge)
          .values()
          .aggregate(new MetricSums(k), (s, rankings) -> {
            for (UserRanking r : rankings) {
              s.add(r);
            }
            return s;
          }, MetricSums::merge);
      return sums.result();
    } finally {
      spark.sparkContext().setJobDescription(null);
      sorted.unpersist(false);
      itemBlocks.unpersist(false);
      if (userBlocks != null) {
        userBlocks.unpersist(false);
      }
    }
  }

  /** (user, pos, score) of each held-out positive, scored exactly as the block scan scores every item. */
  private static Dataset<Row> scorePositives(SparkSession spark, Dataset<Row> held, Dataset<Row> users,
      PublishedModel pm) {
    Dataset<Row> items = pm.items().select(col("id").cast("string").as("iid"), col("bias").as("ib"),
        col("features").as("if"));
    Dataset<Row> joined = held
        .join(users.select(col("uid"), col("bias").as("ub"), col("features").as("uf")),
            col("user").equalTo(col("uid")))
        .join(items, col("item").equalTo(col("iid")))
        .select("user", "pos", "ub", "uf", "ib", "if");
    double mu = pm.globalMean();
    JavaRDD<Row> scored = joined.javaRDD().map(r -> {
      float[] uf = floats(r.getList(3), r.get(0));
      float[] itf = floats(r.getList(5), r.get(0));
      if (uf.length != itf.length) {
        throw new IllegalStateException("user " + r.get(0) + " has " + uf.length + " features but an item has "
            + itf.length);
      }
      double s = RankingScan.score(mu, r.isNullAt(2) ? 0f : r.getFloat(2), uf, 0, r.isNullAt(4) ? 0f : r.getFloat(4),
          itf, 0, uf.length);
      return RowFactory.create(r.getString(0), r.getInt(1), s);
    });
    StructType schema = new StructType().add("user", DataTypes.StringType, false)
        .add("pos", DataTypes.IntegerType, false).add("score", DataTypes.DoubleType, false);
    return spark.createDataFrame(scored, schema);
  }

  private static float[] floats(List<Object> feats, Object id) {
    float[] f = new float[feats.size()];
    ServeBlocks.copyFeatures(feats, f, 0, f.length, id);
    return f;
  }

  private static UserRanking[] merge(UserRanking[] a, UserRanking[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i].merge(b[i]);
    }
    return a;
  }

  /** Rows (id, bias, features, positives array of (pos, score), seen) into blocks of {@link ServeBlocks#USER_BLOCK}. */
  private static Iterator<EvalUsers> userBlocks(Iterator<Row> rows) {
    return ServeBlocks.inUserBlocks(rows, RankingEvaluation::userBlock);
  }

  private static EvalUsers userBlock(List<Row> chunk) {
    int n = chunk.size();
    int rank = chunk.get(0).getList(2).size();
    Object[] keys = new Object[n];
    float[] bias = new float[n];
    float[] f = new float[n * rank];
    int[][] seen = new int[n][];
    int[][] positives = new int[n][];
    double[][] scores = new double[n][];
    for (int r = 0; r < n; r++) {
      Row row = chunk.get(r);
      keys[r] = row.get(0);
      bias[r] = row.isNullAt(1) ? 0f : row.getFloat(1);
      ServeBlocks.copyFeatures(row.getList(2), f, r * rank, rank, row.get(0));
      List<Row> held = row.getList(3);
      positives[r] = new int[held.size()];
      scores[r] = new double[held.size()];
      for (int j = 0; j < held.size(); j++) {
        positives[r][j] = held.get(j).getInt(0);
        scores[r][j] = held.get(j).getDouble(1);
      }
      Arrays.sort(positives[r]);
      Arrays.sort(scores[r]);
      if (!row.isNullAt(4)) {
        List<Object> s = row.getList(4);
        int[] a = new int[s.size()];
        for (int j = 0; j < a.length; j++) {
          a[j] = ((Number) s.get(j)).intValue();
        }
        seen[r] = a;
      }
    }
    return new EvalUsers(new FactorBlock(keys, null, bias, f, rank, seen), positives, scores);
  }
}
