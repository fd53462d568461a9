package io.blockals.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Writes the parts of a model directory into a staging folder (the committer publishes it). */
public final class ModelWriter {
  private ModelWriter() {}

  /** The factor tables; each is written by its own Spark job straight from the executors. */
  public static void writeFactors(Path staging, Dataset<Row> userFactors, Dataset<Row> itemFactors) {
    userFactors.write().mode(SaveMode.ErrorIfExists).parquet(new Path(staging, ModelDirectory.USER_FACTORS).toString());
    itemFactors.write().mode(SaveMode.ErrorIfExists).parquet(new Path(staging, ModelDirectory.ITEM_FACTORS).toString());
  }

  /** model.json: pretty, snake_case keys, non-finite numbers written as null (JSON has no NaN). */
  public static void writeModelJson(ModelCommitter committer, Map<String, Object> content) throws IOException {
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(JsonValues.finite(content));
    committer.writeSmallFile(new Path(committer.staging(), ModelDirectory.MODEL_JSON), json + "\n");
  }
}
