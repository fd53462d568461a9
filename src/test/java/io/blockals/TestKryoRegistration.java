package io.blockals;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Classes only tests ship through Kryo, for sessions that require registration (SparkTestBase): MLlib's ALS
 * internals and its RegressionEvaluator's summarizer (MLlib is fitted as an oracle, and by the bench, whose
 * production runs do not require registration; MLlib's classes are not blockals' to register) and the rows of a
 * {@code JavaRDD<Row>} a test collects (RowFactory's GenericRow; production jobs turn such RDDs into Datasets
 * without shipping the rows).
 */
public final class TestKryoRegistration implements KryoRegistrator {
  private static final String[] NAMES = {
      "org.apache.spark.sql.catalyst.expressions.GenericRow",
      "org.apache.spark.ml.recommendation.ALS$Rating",
      "[Lorg.apache.spark.ml.recommendation.ALS$Rating;",
      "org.apache.spark.ml.recommendation.ALS$Rating$mcI$sp",
      "org.apache.spark.ml.recommendation.ALS$RatingBlock",
      "[Lorg.apache.spark.ml.recommendation.ALS$RatingBlock;",
      "org.apache.spark.ml.recommendation.ALS$RatingBlock$mcI$sp",
      "org.apache.spark.ml.recommendation.ALS$InBlock",
      "org.apache.spark.ml.recommendation.ALS$InBlock$mcI$sp",
      "org.apache.spark.ml.recommendation.ALS$UncompressedInBlock",
      "org.apache.spark.ml.recommendation.ALS$UncompressedInBlock$mcI$sp",
      "org.apache.spark.ml.stat.SummarizerBuffer",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMax$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMin$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeNNZ$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Max$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Min$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$NumNonZeros$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Sum$",
      "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
      "org.apache.spark.mllib.stat.MultivariateOnlineSummarizer",
      "org.apache.spark.ml.linalg.DenseVector",
      "org.apache.spark.ml.linalg.SparseVector",
      "[[F",
      "[Z",
  };

  @Override
  public void registerClasses(Kryo kryo) {
    for (String name : NAMES) {
      try {
        kryo.register(Class.forName(name, false, TestKryoRegistration.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // Not in this Spark version: nothing to register.
      }
    }
  }
}
