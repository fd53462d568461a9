package io.blockals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Factor tables of the model contract (id, bias, features) collected into arrays, and the score formula. */
public final class FactorRows {
  private FactorRows() {}

  /** Factor rows by id (as a string): the features followed by the bias. */
  public static Map<String, float[]> collect(Dataset<Row> factors) {
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

  /** mu + b_u + b_i + p.q from collected rows. */
  public static double predict(double mu, float[] u, float[] i) {
    int rank = u.length - 1;
    double s = mu + u[rank] + i[rank];
    for (int k = 0; k < rank; k++) {
      s += (double) u[k] * i[k];
    }
    return s;
  }
}
