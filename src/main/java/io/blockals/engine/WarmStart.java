package io.blockals.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The published model a run starts from instead of the seeded initial factors: its factor tables (the model
 * contract's id, bias, features), joined to the blocks on the executors. A user or item the tables do not hold starts
 * from its seeded factors as in a cold run; one the tables hold that the input no longer has is dropped.
 *
 * @param path the model directory the tables were read from (recorded in model.json)
 * @param runId that model's run id
 * @param users its user_factors
 * @param items its item_factors
 * @param userIdsLong whether that model's user ids are longs; the new input's must be of the same type
 * @param itemIdsLong the same for item ids
 */
public record WarmStart(String path, String runId, Dataset<Row> users, Dataset<Row> items, boolean userIdsLong,
    boolean itemIdsLong) {

  /**
   * How the rows of one side were started.
   *
   * @param kept ids in both the published model and the input: started from the published factors
   * @param added ids new in the input: seeded factors
   * @param dropped ids of the published model the input no longer has
   */
  public record Counts(long kept, long added, long dropped) {
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kept", kept);
      m.put("new", added);
      m.put("dropped", dropped);
      return m;
    }
  }

  /** What a warm-started run records about its start. */
  public record Report(String path, String runId, Counts users, Counts items) {
    /** model.json's {@code init_model}: path, run_id, and per side kept, new and dropped ids. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", path);
      m.put("run_id", runId);
      m.put("users", users.toJson());
      m.put("items", items.toJson());
      return m;
    }
  }
}
