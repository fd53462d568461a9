package io.blockals.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The baselines bench/serve-bench.sh times against blockals' recommend and similar-items, each run as its own
 * process ({@code spark-submit --class io.blockals.bench.ServeBaseline}):
 * <ul>
 *   <li>{@code prepare MODEL OUT}: not timed; the model's factors as an MLlib ALSModel with ids renumbered to int
 *       (benchmark models have long ids above the int range) and the biases in two extra columns.</li>
 *   <li>{@code mllib-recommend ALSMODEL K OUT}: {@code recommendForAllUsers(K)} written as Parquet.</li>
 *   <li>{@code sql-similar MODEL K OUT}: cosine of every item pair by a Spark SQL cross join, a window rank, Parquet.
 *   </li>
 * </ul>
 */
public final class ServeBaseline {
  private ServeBaseline() {}

  public static void main(String[] args) throws java.io.IOException {
    SparkSession spark = SparkSession.builder().appName("blockals serve baseline " + args[0]).getOrCreate();
    try {
      switch (args[0]) {
        case "prepare" -> prepare(spark, args[1], args[2]);
        case "mllib-recommend" -> ALSModel.load(args[1]).recommendForAllUsers(Integer.parseInt(args[2]))
            .write().parquet(args[3]);
        case "sql-similar" -> sqlSimilar(spark, args[1], Integer.parseInt(args[2]), args[3]);
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    } finally {
      spark.stop();
    }
  }

  private static void prepare(SparkSession spark, String model, String out) throws java.io.IOException {
    // model.json is one pretty-printed object over many lines.
    double mu = spark.read().option("multiLine", true).json(model + "/model.json").first().getAs("global_mean");
    Dataset<Row> users = renumber(spark.read().parquet(model + "/user_factors"))
        .select(col("nid").as("id"), functions.concat(col("features"),
            functions.array(functions.lit(mu).plus(col("bias")).cast("float"), functions.lit(1f))).as("features"));
    Dataset<Row> items = renumber(spark.read().parquet(model + "/item_factors"))
        .select(col("nid").as("id"), functions.concat(col("features"),
            functions.array(functions.lit(1f), col("bias").cast("float"))).as("features"));
    int rank = users.first().getList(1).size();
    new ALSModel(Identifiable.randomUID("als"), rank, users, items).setUserCol("user").setItemCol("item")
        .setPredictionCol("prediction").setColdStartStrategy("nan").write().overwrite().save(out);
  }

  private static Dataset<Row> renumber(Dataset<Row> factors) {
    return factors.withColumn("nid", functions.row_number().over(Window.orderBy("id")).minus(1).cast("int"));
  }

  private static void sqlSimilar(SparkSession spark, String model, int k, String out) {
    Dataset<Row> items = spark.read().parquet(model + "/item_factors")
        .select(col("id"), col("features"),
            expr("sqrt(aggregate(features, 0D, (acc, x) -> acc + x * x))").as("norm"))
        .filter(col("norm").gt(0));
    Dataset<Row> a = items.toDF("item", "fa", "na");
    Dataset<Row> b = items.toDF("similar", "fb", "nb");
    Dataset<Row> scored = a.crossJoin(b).filter(col("item").notEqual(col("similar")))
        .select(col("item"), col("similar"),
            expr("aggregate(zip_with(fa, fb, (x, y) -> x * y), 0D, (acc, x) -> acc + x) / (na * nb)").as("score"));
    scored.withColumn("rank", functions.row_number().over(
            Window.partitionBy("item").orderBy(col("score").desc(), col("similar"))))
        .filter(col("rank").leq(k)).write().parquet(out);
  }
}
