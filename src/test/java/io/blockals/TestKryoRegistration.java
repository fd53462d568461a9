package io.blockals;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Classes only tests ship through Kryo, for sessions that require registration (SparkTestBase): MLlib's ALS
 * internals (MLlib is fitted as an oracle; its classes are not blockals' to register in production) and the rows
 * of a {@code JavaRDD<Row>} a test collects (RowFactory's GenericRow; production jobs turn such RDDs into Datasets
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
