package io.blockals.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** A trained model still on the executors: the blocks, the factors and what training saw. */
public final class AlsResult {
  private final AlsParams params;
  private final JavaRDD<SideBlock> userBlocks;
  private final JavaRDD<SideBlock> itemBlocks;
  private final JavaRDD<FactorBlock> userFactors;
  private final JavaRDD<FactorBlock> itemFactors;
  private final double globalMean;
  private final long numUsers;
  private final long numItems;
  private final long numRatings;
  private final boolean userIdsLong;
  private final boolean itemIdsLong;
  private final List<IterationStats> history;
  private final StopReason stopReason;
  private final int bestIteration;
  private final WarmStart.Report warmStart;
  private final boolean validated;

  AlsResult(AlsParams params, JavaRDD<SideBlock> userBlocks, JavaRDD<SideBlock> itemBlocks,
      JavaRDD<FactorBlock> userFactors, JavaRDD<FactorBlock> itemFactors, double globalMean, long numUsers,
      long numItems, long numRatings, boolean userIdsLong, boolean itemIdsLong, List<IterationStats> history,
      StopReason stopReason, int bestIteration, WarmStart.Report warmStart, boolean validated) {
    this.params = params;
    this.userBlocks = userBlocks;
    this.itemBlocks = itemBlocks;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.globalMean = globalMean;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.numRatings = numRatings;
    this.userIdsLong = userIdsLong;
    this.itemIdsLong = itemIdsLong;
    this.history = List.copyOf(history);
    this.stopReason = stopReason;
    this.bestIteration = bestIteration;
    this.warmStart = warmStart;
    this.validated = validated;
  }

  public AlsParams params() {
    return params;
  }

  /** mu when biases are on, else 0 (the score formula of the model contract). */
  public double globalMean() {
    return params.biases() ? globalMean : 0.0;
  }

  public long numUsers() {
    return numUsers;
  }

  public long numItems() {
    return numItems;
  }

  public long numRatings() {
    return numRatings;
  }

  public boolean userIdsLong() {
    return userIdsLong;
  }

  public boolean itemIdsLong() {
    return itemIdsLong;
  }

  /** Every iteration that ran, in order (also those after the published one, when patience kept an earlier one). */
  public List<IterationStats> history() {
    return history;
  }

  /** Why the iterations ended. */
  public StopReason stopReason() {
    return stopReason;
  }

  /**
   * The iteration (1-based) whose factors this result holds: the one with the lowest validation RMSE when
   * {@code patience} is on, else the last one run; 0 when none ran.
   */
  public int bestIteration() {
    return bestIteration;
  }

  /** The figures of {@link #bestIteration()}, or null when no iteration ran. */
  public IterationStats bestStats() {
    return bestIteration == 0 ? null : history.get(bestIteration - 1);
  }

  /** How the start was taken from a published model, or null for a cold start. */
  public WarmStart.Report warmStart() {
    return warmStart;
  }

  /** True when held-out pairs were scored after every iteration ({@link IterationStats#validationRmse()}). */
  public boolean validated() {
    return validated;
  }

  /** The item side's blocks (ratings and routing), cached for the result's life. */
  JavaRDD<SideBlock> itemSideBlocks() {
    return itemBlocks;
  }

  JavaRDD<FactorBlock> userFactorBlocks() {
    return userFactors;
  }

  JavaRDD<FactorBlock> itemFactorBlocks() {
    return itemFactors;
  }

  /** The user factors as rows of the model format's factor schema ({@code io.blockals.model.ModelFormat}). */
  public JavaRDD<Row> userFactorRows() {
    return rows(userBlocks, userFactors, userIdsLong);
  }

  /** The item factors as rows of the model format's factor schema. */
  public JavaRDD<Row> itemFactorRows() {
    return rows(itemBlocks, itemFactors, itemIdsLong);
  }

  private JavaRDD<Row> rows(JavaRDD<SideBlock> blocks, JavaRDD<FactorBlock> factors, boolean longIds) {
    int rank = params.rank();
    boolean biases = params.biases();
    return blocks.zipPartitions(factors, (bs, fs) -> {
      List<Row> out = new ArrayList<>();
      while (bs.hasNext()) {
        SideBlock b = bs.next();
        FactorBlock f = fs.next();
        int dim = f.dim;
        for (int r = 0; r < b.numRows(); r++) {
          Float[] feat = new Float[rank];
          for (int k = 0; k < rank; k++) {
            feat[k] = f.values[r * dim + k];
          }
          float bias = biases ? f.values[r * dim + rank] : 0f;
          Object id = longIds ? (Object) Long.parseLong(b.id(r)) : b.id(r);
          out.add(RowFactory.create(id, bias, feat));
        }
      }
      return out.iterator();
    });
  }

  /**
   * Runs {@code visitor} on every block of both sides where the block and its factors are cached, in one Spark job,
   * and returns the results, user blocks first, each side in block order.
   */
  public <T extends java.io.Serializable> List<T> visitBlocks(FactorRows.Visitor<T> visitor) {
    int rank = params.rank();
    boolean biases = params.biases();
    JavaRDD<T> users = userBlocks.zipPartitions(userFactors,
        (bs, fs) -> visitAll(true, bs, fs, rank, biases, visitor));
    JavaRDD<T> items = itemBlocks.zipPartitions(itemFactors,
        (bs, fs) -> visitAll(false, bs, fs, rank, biases, visitor));
    return users.union(items).collect();
  }

  private static <T extends java.io.Serializable> java.util.Iterator<T> visitAll(boolean users,
      java.util.Iterator<SideBlock> bs, java.util.Iterator<FactorBlock> fs, int rank, boolean biases,
      FactorRows.Visitor<T> visitor) throws Exception {
    List<T> out = new ArrayList<>(1);
    while (bs.hasNext()) {
      out.add(visitor.visit(users, new FactorRows(bs.next(), fs.next(), rank, biases)));
    }
    return out.iterator();
  }

  /** What the training ratings look like: counts and distributions (a small Spark job over the cached blocks). */
  public DataProfile dataProfile() {
    return DataProfile.of(userBlocks, itemBlocks);
  }

  public void unpersist() {
    userFactors.unpersist(false);
    itemFactors.unpersist(false);
    userBlocks.unpersist(false);
    itemBlocks.unpersist(false);
  }
}
