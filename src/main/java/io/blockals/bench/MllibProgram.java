package io.blockals.bench;

import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The peer of {@code ./submit.sh train} in the whole-process benchmark: the small program an MLlib user writes for
 * the same job. Reads the CSV with Spark's reader, maps string or long ids to the int indices ALS insists on with
 * StringIndexer, fits ALS, and writes both factor tables as Parquet. Run through SparkSubmit like blockals (see
 * {@code bench/whole-process.sh}); arguments: input csv, output dir, rank, iterations, reg_param and, optionally,
 * {@code implicit} for implicit feedback (alpha 1, MLlib's default).
 */
public final class MllibProgram {
  private MllibProgram() {}

  public static void main(String[] args) {
    if (args.length != 5 && !(args.length == 6 && args[5].equals("implicit"))) {
      System.err.println("usage: MllibProgram <input.csv> <output dir> <rank> <iterations> <reg_param> [implicit]");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("mllib-als-baseline").getOrCreate();
    Dataset<Row> raw = spark.read().option("header", "true").csv(args[0])
        .selectExpr("user", "item", "cast(rating as float) as rating");
    StringIndexerModel indexer = new StringIndexer().setInputCols(new String[] {"user", "item"})
        .setOutputCols(new String[] {"user_idx", "item_idx"}).fit(raw);
    Dataset<Row> indexed = indexer.transform(raw)
        .selectExpr("cast(user_idx as int) as user_idx", "cast(item_idx as int) as item_idx", "rating");
    int cores = spark.sparkContext().defaultParallelism();
    ALSModel model = new ALS().setRank(Integer.parseInt(args[2])).setMaxIter(Integer.parseInt(args[3]))
        .setRegParam(Double.parseDouble(args[4])).setNumBlocks(cores).setSeed(42L).setImplicitPrefs(args.length == 6)
        .setUserCol("user_idx").setItemCol("item_idx").setRatingCol("rating").fit(indexed);
    model.userFactors().write().parquet(args[1] + "/user_factors");
    model.itemFactors().write().parquet(args[1] + "/item_factors");
    spark.stop();
  }
}
