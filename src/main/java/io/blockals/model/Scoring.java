package io.blockals.model;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores (user, item) pairs with factor tables of the model contract, in Spark SQL so it runs where the data is:
 * {@code score = global_mean + user.bias + item.bias + dot(user.features, item.features)}. A user or item the model
 * has never seen contributes nothing (bias 0, no dot product), so a pair with a known item still gets
 * {@code global_mean + item.bias}; {@code cold} says which pairs were scored that way.
 */
public final class Scoring {
  private Scoring() {}

  /**
   * @param pairs columns user, item (any type; compared as strings) and whatever else, kept
   * @return pairs plus {@code prediction} double and {@code cold} boolean
   */
  public static Dataset<Row> predict(Dataset<Row> pairs, Dataset<Row> userFactors, Dataset<Row> itemFactors,
      double globalMean) {
    Dataset<Row> u = userFactors.select(col("id").cast("string").as("_uid"), col("bias").as("_ub"),
        col("features").as("_uf"));
    Dataset<Row> i = itemFactors.select(col("id").cast("string").as("_iid"), col("bias").as("_ib"),
        col("features").as("_if"));
    Dataset<Row> joined = pairs
        .join(u, pairs.col("user").cast("string").equalTo(u.col("_uid")), "left")
        .join(i, pairs.col("item").cast("string").equalTo(i.col("_iid")), "left");
    return joined
        .withColumn("prediction", lit(globalMean)
            .plus(coalesce(col("_ub").cast("double"), lit(0.0)))
            .plus(coalesce(col("_ib").cast("double"), lit(0.0)))
            .plus(coalesce(expr("aggregate(zip_with(_uf, _if, (a, b) -> cast(a as double) * b), 0D, (s, x) -> s + x)"),
                lit(0.0))))
        .withColumn("cold", col("_uid").isNull().or(col("_iid").isNull()))
        .drop("_uid", "_ub", "_uf", "_iid", "_ib", "_if");
  }

  /** Root mean squared error and counts over pairs with a {@code rating} column. */
  public static Metrics evaluate(Dataset<Row> ratings, Dataset<Row> userFactors, Dataset<Row> itemFactors,
      double globalMean) {
    Row r = predict(ratings, userFactors, itemFactors, globalMean)
        .selectExpr("count(*) as n", "sum(pow(rating - prediction, 2)) as se",
            "sum(abs(rating - prediction)) as ae", "sum(cast(cold as int)) as cold",
            "sum(if(cold, 0D, pow(rating - prediction, 2))) as warm_se")
        .first();
    long n = r.getLong(0);
    if (n == 0) {
      return new Metrics(0, Double.NaN, Double.NaN, 0, Double.NaN);
    }
    long cold = r.isNullAt(3) ? 0 : r.getLong(3);
    double warmRmse = n - cold == 0 ? Double.NaN : Math.sqrt(r.getDouble(4) / (n - cold));
    return new Metrics(n, Math.sqrt(r.getDouble(1) / n), r.getDouble(2) / n, cold, warmRmse);
  }

  /**
   * @param count pairs evaluated
   * @param rmse over all pairs (cold ones scored from the biases)
   * @param mae mean absolute error over all pairs
   * @param cold pairs whose user or item the model has not seen
   * @param warmRmse over the pairs whose user and item are both known
   */
  public record Metrics(long count, double rmse, double mae, long cold, double warmRmse) {}
}
