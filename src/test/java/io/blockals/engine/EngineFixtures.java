package io.blockals.engine;

import java.util.ArrayList;
import java.util.HashMap;
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

  static final StructType INPUT = new StructType()
      .add("user", DataTypes.StringType, false)
      .add("item", DataTypes.StringType, false)
      .add("rating", DataTypes.DoubleType, false)
      .add("ts", DataTypes.LongType, true)
      .add("ord", DataTypes.LongType, false);

  static Dataset<Row> ratings(SparkSession spark, List<String> users, List<String> items, List<Double> values,
      int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < users.size(); j++) {
      rows.add(RowFactory.create(users.get(j), items.get(j), values.get(j), null, (long) j));
    }
    return spark.createDataFrame(rows, INPUT).repartition(partitions);
  }

  /** Factor rows by id: features followed by the bias. */
  static Map<String, float[]> collect(Dataset<Row> factors) {
    Map<String, float[]> out = new HashMap<>();
    for (Row r : factors.collectAsList()) {
      List<Float> f = r.getList(2);
      float[] v = new float[f.size() + 1];
      for (int k = 0; k < f.size(); k++) {
        v[k] = f.get(k);
      }
      v[f.size()] = r.getFloat(1);
      out.put(String.valueOf(r.get(0)), v);
    }
    return out;
  }

  /** mu + b_u + b_i + p.q from collected factors. */
  static double predict(double mu, float[] u, float[] i) {
    int rank = u.length - 1;
    double s = mu + u[rank] + i[rank];
    for (int k = 0; k < rank; k++) {
      s += (double) u[k] * i[k];
    }
    return s;
  }

  static AlsParams params(int rank, int iters, double reg, boolean biases, int nU, int nI) {
    return new AlsParams(rank, iters, reg, false, 1.0, biases, false, "cholesky", nU, nI, 42L, 10,
        DuplicatePolicy.LATEST);
  }
}
