package io.blockals.engine;

import io.blockals.FactorRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Ratings straight into the engine's input schema, and factors back out, for engine tests. */
final class EngineFixtures {
  private EngineFixtures() {}

  static final StructType INPUT = input(DataTypes.StringType, false);

  /** The engine's input schema with ids of {@code idType} (string, int or long). */
  static StructType input(org.apache.spark.sql.types.DataType idType, boolean nullableUser) {
    return new StructType()
        .add("user", idType, nullableUser)
        .add("item", idType, false)
        .add("rating", DataTypes.DoubleType, false)
        .add("ts", DataTypes.LongType, true)
        .add("ord", DataTypes.LongType, false);
  }

  static Dataset<Row> ratings(SparkSession spark, List<String> users, List<String> items, List<Double> values,
      int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < users.size(); j++) {
      rows.add(RowFactory.create(users.get(j), items.get(j), values.get(j), null, (long) j));
    }
    return spark.createDataFrame(rows, INPUT).repartition(partitions);
  }

  static Map<String, float[]> collect(Dataset<Row> factors) {
    return FactorRows.collect(factors);
  }

  static double predict(double mu, float[] u, float[] i) {
    return FactorRows.predict(mu, u, i);
  }

  static AlsParams params(int rank, int iters, double reg, boolean biases, int nU, int nI) {
    return new AlsParams(rank, iters, reg, false, 1.0, biases, false, "cholesky", nU, nI, 42L, 10,
        DuplicatePolicy.LATEST);
  }
}
