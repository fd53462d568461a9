package io.blockals.job;

import static org.apache.spark.sql.functions.col;

import io.blockals.BlockalsException;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsReader;
import io.blockals.model.ModelCommitter;
import io.blockals.model.PublishedModel;
import io.blockals.serve.BlockScorer;
import io.blockals.serve.FactorBlock;
import io.blockals.serve.TopK;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code similar-items}: each item's K nearest items by cosine of their factors (biases play no part), itself
 * excluded. Same block shape as {@link RecommendJob}: query item blocks against candidate item blocks, one heap per
 * query item, merged. An item whose factor is the zero vector has no direction: it gets no rows and is never listed.
 */
public final class SimilarItemsJob {
  private static final Logger LOG = LoggerFactory.getLogger(SimilarItemsJob.class);
  static final String COMMAND = "similar-items";

  private SimilarItemsJob() {}

  /** @param items ids of the query items (a file of ids or a column {@code item}); null for all */
  public static RecommendJob.Outcome run(SparkSession spark, String model, int topK, String items, InputSpec spec,
      String output) {
    if (topK < 1) {
      throw BlockalsException.usage("--top-k must be at least 1, got " + topK);
    }
    long start = System.nanoTime();
    ModelCommitter committer = RecommendJob.prepare(spark, output, COMMAND);
    try {
      PublishedModel pm = PublishedModel.open(spark, model);
      DataType itemType = pm.items().schema().apply("id").dataType();
      int parts = Math.max(1, spark.sparkContext().defaultParallelism());
      JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(pm.items()).persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<FactorBlock> candidates = ServeBlocks.itemBlocks(sorted, parts, true)
          .persist(StorageLevel.MEMORY_AND_DISK());
      JavaRDD<FactorBlock> queries = candidates;
      if (items != null) {
        Dataset<Row> wanted = RatingsReader.readIds(spark, items, spec, "item");
        Dataset<Row> sortedDf = spark.createDataFrame(sorted.map(t -> org.apache.spark.sql.RowFactory.create(
            t._1.get(0).toString(), t._2)), new org.apache.spark.sql.types.StructType()
            .add("q_id", org.apache.spark.sql.types.DataTypes.StringType)
            .add("q_pos", org.apache.spark.sql.types.DataTypes.LongType));
        JavaPairRDD<Row, Long> picked = sortedDf.join(wanted, col("q_id").equalTo(wanted.col("id")), "left_semi")
            .select("q_pos").javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0), Boolean.TRUE))
            .join(sorted.mapToPair(t -> new Tuple2<>(t._2, t._1)))
            .mapToPair(t -> new Tuple2<>(t._2._2, t._1));
        queries = ServeBlocks.itemBlocks(picked, parts, true).persist(StorageLevel.MEMORY_AND_DISK());
      }
      long zero = candidates.map(b -> {
        long z = 0;
        for (float n : b.bias()) {
          z += n == 0f ? 1 : 0;
        }
        return z;
      }).reduce(Long::sum);
      if (zero > 0) {
        LOG.warn("{} items have a zero factor vector: no cosine is defined for them, they are neither listed nor "
            + "given similar items", zero);
      }
      JavaRDD<ServeBlocks.Partial> merged = queries.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2, t._1))
          .cartesian(candidates)
          .mapToPair(p -> {
            FactorBlock qb = p._1._2;
            TopK[] heaps = ServeBlocks.heaps(qb.rows(), topK);
            BlockScorer.cosine(qb, p._2, heaps);
            return new Tuple2<>(p._1._1, new ServeBlocks.Partial(qb.keys(), heaps));
          })
          .reduceByKey(ServeBlocks.Partial::merge)
          .values();
      Dataset<Row> ranked = spark.createDataFrame(ServeBlocks.rows(merged), ServeBlocks.rowSchema(itemType, "item"));
      Dataset<Row> out = ranked.join(ServeBlocks.itemIds(spark, sorted, itemType, "similar"), "pos")
          .select("item", "similar", "score", "rank");
      long rows = RecommendJob.write(committer, out);
      sorted.unpersist();
      candidates.unpersist();
      queries.unpersist();
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info("{} similar-item rows written to {} in {} s", rows, committer.target(), String.format("%.1f", seconds));
      return new RecommendJob.Outcome(committer.target().toString(), rows, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
    }
  }
}
