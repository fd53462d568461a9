package io.blockals.job;

import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import org.apache.spark.sql.SparkSession;

/** {@code evaluate}: the error of a published model on held-out ratings. */
public final class EvaluateJob {
  private EvaluateJob() {}

  /**
   * @param model a model directory, or the root of the dated layout
   * @param test held-out ratings, read with the same rules as train's input ({@code spec})
   */
  public static Scoring.Metrics run(SparkSession spark, String model, String test, InputSpec spec) {
    PublishedModel pm = ModelFormat.open(spark, model);
    try (RatingsInput in = RatingsReader.read(spark, test, spec)) {
      return Scoring.evaluate(in.ratings(), pm.users(), pm.items(), pm.globalMean());
    }
  }
}
