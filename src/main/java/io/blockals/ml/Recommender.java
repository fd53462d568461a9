package io.blockals.ml;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;

import io.blockals.job.RecommendJob;
import io.blockals.job.ServeBlocks;
import io.blockals.serve.BlockScorer;
import io.blockals.serve.FactorBlock;
import io.blockals.serve.TopK;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import scala.Tuple2;

/**
 * Top-K by the contract's score with the block-wise scoring of the {@code recommend} command ({@link ServeBlocks},
 * {@link BlockScorer}, {@link TopK}): every query block meets every candidate block once, each pair keeps a bounded
 * heap per query row, the heaps are merged per query block. Ties are broken by candidate id, as {@code recommend}.
 */
final class Recommender {
  private Recommender() {}

  /**
   * @param queries factor table (id, bias, features) of the rows to recommend for
   * @param candidates factor table of the rows to recommend
   * @param seen (q, c) pairs as strings never to recommend, or null
   * @return {@code queryName, recommendations array<struct<candidateName, rating double>>}, best first
   */
  static Dataset<Row> topK(Dataset<Row> queries, Dataset<Row> candidates, double mu, int k, Dataset<Row> seen,
      String queryName, String candidateName) {
    if (k < 1) {
      throw new IllegalArgumentException("the number of recommendations must be at least 1, got " + k);
    }
    SparkSession spark = queries.sparkSession();
    DataType queryType = queries.schema().apply("id").dataType();
    DataType candidateType = candidates.schema().apply("id").dataType();
    int parts = Math.max(1, spark.sparkContext().defaultParallelism());

    JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(candidates);
    JavaRDD<FactorBlock> candidateBlocks = ServeBlocks.itemBlocks(sorted, parts, false);
    Dataset<Row> candidateIds = ServeBlocks.itemIds(spark, sorted, candidateType, "_c");

    Dataset<Row> q = queries.select(col("id"), col("bias"), col("features"));
    if (seen != null) {
      Dataset<Row> positions = seen.join(candidateIds.select(col("pos"), col("_c").cast("string").as("_cs")),
              col("c").equalTo(col("_cs")))
          .groupBy("q").agg(array_sort(collect_set(col("pos"))).as("seen"));
      q = q.join(positions, q.col("id").cast("string").equalTo(positions.col("q")), "left")
          .select(col("id"), col("bias"), col("features"), col("seen"));
    } else {
      q = q.selectExpr("id", "bias", "features", "cast(null as array<int>) as seen");
    }
    JavaRDD<FactorBlock> queryBlocks = q.repartition(parts).javaRDD().mapPartitions(RecommendJob::userBlocks);

    JavaRDD<ServeBlocks.Partial> merged = queryBlocks.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1))
        .cartesian(candidateBlocks)
        .mapToPair(p -> {
          FactorBlock qb = p._1._2;
          TopK[] heaps = ServeBlocks.heaps(qb.rows(), k);
          BlockScorer.score(qb, p._2, mu, heaps);
          return new Tuple2<>(p._1._1, new ServeBlocks.Partial(qb.keys(), heaps));
        })
        .reduceByKey(ServeBlocks.Partial::merge)
        .values();
    Dataset<Row> ranked = spark.createDataFrame(ServeBlocks.rows(merged), ServeBlocks.rowSchema(queryType, "_q"))
        .join(candidateIds, "pos");
    return ranked.groupBy(col("_q"))
        .agg(array_sort(collect_list(struct(col("rank"), col("_c"), col("score")))).as("_r"))
        .select(col("_q").as(queryName), expr("transform(_r, x -> named_struct('" + candidateName.replace("'", "\\'")
            + "', x._c, 'rating', x.score))").as("recommendations"));
  }
}
