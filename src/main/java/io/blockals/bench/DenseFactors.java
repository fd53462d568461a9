package io.blockals.bench;

import io.blockals.generate.PlantedData;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One side of a fitted model collected into dense arrays indexed like the generator, so both engines' factors are
 * scored by the same code: row-major {@code n x rank} features, a bias per row (0 when the model has none) and
 * whether the model holds the row at all.
 */
final class DenseFactors {
  final float[] features;
  final float[] bias;
  final boolean[] known;

  private DenseFactors(int n, int rank) {
    features = new float[n * rank];
    bias = new float[n];
    known = new boolean[n];
  }

  /** blockals' factor table (the model contract's id, bias, features), its ids mapped through {@code index}. */
  static DenseFactors ofBlockals(Dataset<Row> factors, Map<String, Integer> index, int n, int rank) {
    DenseFactors out = new DenseFactors(n, rank);
    Iterator<Row> it = factors.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      Integer at = index.get(String.valueOf(r.get(0)));
      if (at == null) {
        throw new IllegalStateException("blockals returned factors for an unknown id " + r.get(0));
      }
      out.put(at, r.getList(2), rank);
      out.bias[at] = r.getFloat(1);
    }
    return out;
  }

  /** MLlib's factor table ({@code id int, features array<float>}), whose ids are the generator's indices. */
  static DenseFactors ofMllib(Dataset<Row> factors, int n, int rank) {
    DenseFactors out = new DenseFactors(n, rank);
    Iterator<Row> it = factors.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      int at = r.getInt(0);
      if (at < 0 || at >= n) {
        throw new IllegalStateException("MLlib returned factors for an unknown index " + at);
      }
      out.put(at, r.getList(1), rank);
    }
    return out;
  }

  private void put(int at, List<Float> f, int rank) {
    for (int k = 0; k < rank; k++) {
      features[at * rank + k] = f.get(k);
    }
    known[at] = true;
  }

  /** External id to dense generator index, to put blockals' factors (keyed by id) back into arrays. */
  record Ids(Map<String, Integer> users, Map<String, Integer> items) {
    /** The ids of blockals' string-id table: the generator's strings. */
    static Ids of(PlantedData data) {
      return new Ids(index(data.numUsers(), data::userId), index(data.numItems(), data::itemId));
    }

    /** The ids of the int-id table: each generator index, as the decimal string blockals keys its factors by. */
    static Ids dense(PlantedData data) {
      return new Ids(index(data.numUsers(), Integer::toString), index(data.numItems(), Integer::toString));
    }

    private static Map<String, Integer> index(int n, IntFunction<String> id) {
      Map<String, Integer> out = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        out.put(id.apply(i), i);
      }
      return out;
    }
  }
}
