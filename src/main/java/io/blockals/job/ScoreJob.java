package io.blockals.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.blockals.BlockalsException;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.ModelCommitter;
import io.blockals.model.ModelFormat;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: the model's prediction for each (user, item) pair, committed as Parquet {@code user, item,
 * prediction, cold}. Pairs are read by the ratings reader with the job's input settings (a rating column, if any,
 * is ignored), so a pair names users and items exactly as training did.
 */
public final class ScoreJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

  private ScoreJob() {}

  /** What to do with a pair whose user or item the model does not know. */
  public enum Unknown {
    /** Leave the pair out of the output. */
    DROP,
    /** Keep it with a NaN prediction. */
    NAN,
    /** Keep it, predicted from what is known: global mean plus the known side's bias. */
    BASELINE;

    public static Unknown parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw BlockalsException.usage("unknown = '" + s + "' must be drop, nan or baseline");
      }
    }
  }

  /**
   * @param pairs rows written, pairs read, pairs with an unknown user or item (cold)
   * @param shown the first predictions by (user, item), as many as asked for
   */
  public record Outcome(String output, long rows, long pairs, long cold, List<Row> shown) {}

  public static Outcome run(SparkSession spark, String model, String pairsPath, String output, InputSpec spec,
      Unknown unknown, int show) {
    PublishedModel pm = ModelFormat.open(spark, model);
    ModelCommitter committer = ModelCommitter.prepareOutput(output, spark.sparkContext().hadoopConfiguration(),
        "score");
    try (RatingsInput in = RatingsReader.read(spark, pairsPath, spec.withoutRating())) {
      Dataset<Row> pairs = in.ratings().select("user", "item");
      Dataset<Row> scored = Scoring.predict(pairs, pm.users(), pm.items(), pm.globalMean())
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Row counts = scored.selectExpr("count(*)", "sum(cast(cold as int))").first();
        long total = counts.getLong(0);
        long cold = counts.isNullAt(1) ? 0 : counts.getLong(1);
        Dataset<Row> out = switch (unknown) {
          case DROP -> scored.where(col("cold").equalTo(false));
          case NAN -> scored.withColumn("prediction",
              when(col("cold"), lit(Double.NaN)).otherwise(col("prediction")));
          case BASELINE -> scored;
        };
        out.write().mode(SaveMode.Append).parquet(committer.staging().toString());
        List<Row> shown = show > 0 ? out.orderBy("user", "item").limit(show).collectAsList() : List.of();
        committer.commit();
        long rows = unknown == Unknown.DROP ? total - cold : total;
        LOG.info("scored {} pairs, {} with an unknown user or item ({}), {} rows written to {}", total, cold,
            unknown.name().toLowerCase(Locale.ROOT), rows, committer.target());
        return new Outcome(committer.target().toString(), rows, total, cold, shown);
      } finally {
        scored.unpersist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      committer.abort();
    }
  }
}
