package io.blockals.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.blockals.BlockalsException;
import io.blockals.model.ModelCommitter;
import io.blockals.model.PublishedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code export --format mllib}: the model as a directory {@code ALSModel.load} reads. MLlib's prediction is a bare
 * dot product, so the biases ride in two extra columns: a user row is {@code [features, mu + b_u, 1]} and an item
 * row {@code [features, 1, b_i]}, whose dot is exactly blockals' {@code mu + b_u + b_i + features . features}
 * (rank + 2 columns). MLlib's ids are int, so only models whose ids are integers in int range can be exported.
 */
public final class ExportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
  static final String COMMAND = "export";

  private ExportJob() {}

  public static RecommendJob.Outcome run(SparkSession spark, String model, String format, String output) {
    if (!"mllib".equals(format)) {
      throw BlockalsException.usage("--format must be mllib, got '" + format + "'");
    }
    long start = System.nanoTime();
    PublishedModel pm = PublishedModel.open(spark, model);
    Dataset<Row> users = asMllib(pm.users(), "user", model,
        concat(col("features"), functions.array(lit(pm.globalMean()).plus(col("bias")).cast("float"),
            lit(1f))));
    Dataset<Row> items = asMllib(pm.items(), "item", model,
        concat(col("features"), functions.array(lit(1f), col("bias").cast("float"))));
    int rank = users.isEmpty() ? 0 : users.first().getList(1).size();
    ModelCommitter committer = RecommendJob.prepare(spark, output, COMMAND);
    try {
      // The params ALS.fit would copy from the estimator; without them a loaded model cannot transform.
      ALSModel als = new ALSModel(Identifiable.randomUID("als"), rank, users, items)
          .setUserCol("user").setItemCol("item").setPredictionCol("prediction").setColdStartStrategy("nan");
      // ALSModel's writer wants a fresh directory, and the staging folder already holds the output marker.
      Path scratch = committer.scratch("mllib");
      als.write().overwrite().save(scratch.toString());
      FileSystem fs = committer.fileSystem();
      for (FileStatus s : fs.listStatus(scratch)) {
        if (!fs.rename(s.getPath(), new Path(committer.staging(), s.getPath().getName()))) {
          throw new IOException("could not move " + s.getPath() + " into " + committer.staging());
        }
      }
      fs.delete(scratch, true);
      committer.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info("MLlib ALSModel (rank {} = {} + 2 bias columns) written to {}", rank, rank - 2, committer.target());
      return new RecommendJob.Outcome(committer.target().toString(), users.count() + items.count(), seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
    }
  }

  private static Dataset<Row> asMllib(Dataset<Row> factors, String side, String model, Column features) {
    DataType t = factors.schema().apply("id").dataType();
    if (!t.equals(DataTypes.IntegerType) && !t.equals(DataTypes.LongType)) {
      throw BlockalsException.usage("cannot export " + model + " to MLlib: its " + side + " ids are " + t.simpleString()
          + ", and MLlib's ALSModel only takes int ids");
    }
    long outside = factors.filter(col("id").gt(Integer.MAX_VALUE).or(col("id").lt(Integer.MIN_VALUE))).count();
    if (outside > 0) {
      throw BlockalsException.usage("cannot export " + model + " to MLlib: " + outside + " " + side
          + " ids are outside the int range, and MLlib's ALSModel only takes int ids");
    }
    return factors.select(col("id").cast("int").as("id"), features.as("features"));
  }
}
