package io.blockals.model;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A committed model directory opened for scoring ({@link ModelFormat#open}): its model.json and its two factor
 * tables.
 *
 * @param json the parsed model.json
 * @param users user_factors (id, bias, features)
 * @param items item_factors
 * @param globalMean mu of the score formula (0 when the model has no biases)
 */
public record PublishedModel(Map<String, Object> json, Dataset<Row> users, Dataset<Row> items, double globalMean) {

  /** {@link ModelFormat#open(SparkSession, String)}. */
  public static PublishedModel open(SparkSession spark, String root) {
    return ModelFormat.open(spark, root);
  }
}
