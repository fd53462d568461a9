package io.blockals.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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

  AlsResult(AlsParams params, JavaRDD<SideBlock> userBlocks, JavaRDD<SideBlock> itemBlocks,
      JavaRDD<FactorBlock> userFactors, JavaRDD<FactorBlock> itemFactors, double globalMean, long numUsers,
      long numItems, long numRatings, boolean userIdsLong, boolean itemIdsLong, List<IterationStats> history) {
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

  public List<IterationStats> history() {
    return history;
  }

  /** The schema of the factor tables: id (long or string), bias float, features array&lt;float&gt;. */
  public static StructType factorSchema(boolean longIds) {
    DataType idType = longIds ? DataTypes.LongType : DataTypes.StringType;
    return new StructType(new StructField[] {
        new StructField("id", idType, false, Metadata.empty()),
        new StructField("bias", DataTypes.FloatType, false, Metadata.empty()),
        new StructField("features", new ArrayType(DataTypes.FloatType, false), false, Metadata.empty())});
  }

  /** The final factor blocks, as the engine holds them (for tests of checkpointing and lineage). */
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

  public Dataset<Row> userFactors(SparkSession spark) {
    return toDataset(spark, userBlocks, userFactors, userIdsLong);
  }

  public Dataset<Row> itemFactors(SparkSession spark) {
    return toDataset(spark, itemBlocks, itemFactors, itemIdsLong);
  }

  private Dataset<Row> toDataset(SparkSession spark, JavaRDD<SideBlock> blocks, JavaRDD<FactorBlock> factors,
      boolean longIds) {
    int rank = params.rank();
    boolean biases = params.biases();
    JavaRDD<Row> rows = blocks.zipPartitions(factors, (bs, fs) -> {
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
    return spark.createDataFrame(rows, factorSchema(longIds));
  }

  public void unpersist() {
    userFactors.unpersist(false);
    itemFactors.unpersist(false);
    userBlocks.unpersist(false);
    itemBlocks.unpersist(false);
  }
}
