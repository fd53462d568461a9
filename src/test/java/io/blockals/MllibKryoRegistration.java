package io.blockals;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * MLlib's ALS and RegressionEvaluator classes, for tests that fit MLlib's ALS as an oracle in a session that requires Kryo registration
 * (SparkTestBase). MLlib's internals are not blockals' to register in production.
 */
public final class MllibKryoRegistration implements KryoRegistrator {
  private static final String[] NAMES = {
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
        kryo.register(Class.forName(name, false, MllibKryoRegistration.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // Not in this Spark version: nothing to register.
      }
    }
  }
}
