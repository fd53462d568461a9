package io.blockals.model;

import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A committed model directory opened for scoring: its model.json and its two factor tables, read with Spark's plain
 * Parquet reader exactly as any other reader of the contract would.
 *
 * @param json the parsed model.json
 * @param users user_factors (id, bias, features)
 * @param items item_factors
 * @param globalMean mu of the score formula (0 when the model has no biases)
 */
public record PublishedModel(Map<String, Object> json, Dataset<Row> users, Dataset<Row> items, double globalMean) {

  /**
   * Opens {@code dir}, or the run its {@code LATEST} names when it is the root of the dated layout; exit 2 if it is
   * not a committed blockals model of a format this build reads.
   */
  public static PublishedModel open(SparkSession spark, String root) {
    String dir = ModelDirectory.resolve(root, spark.sparkContext().hadoopConfiguration());
    Map<String, Object> json = ModelDirectory.readModelJson(dir, spark.sparkContext().hadoopConfiguration());
    double mu = ((Number) json.get("global_mean")).doubleValue();
    Dataset<Row> users = spark.read().parquet(new Path(dir, ModelDirectory.USER_FACTORS).toString());
    Dataset<Row> items = spark.read().parquet(new Path(dir, ModelDirectory.ITEM_FACTORS).toString());
    return new PublishedModel(json, users, items, mu);
  }
}
