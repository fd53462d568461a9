package io.blockals.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.blockals.BlockalsException;
import io.blockals.engine.AlsParams;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.engine.FoldIn;
import io.blockals.model.PublishedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code recommend --for-ratings R}: users known only by their ratings R, folded into the model. Each user's factor
 * (and bias, when the model has biases) is solved from the model's item factors by {@link FoldIn}, the build and
 * solve parts of a training half-step, with the model's own parameters from model.json; the model is not changed.
 *
 * <p>Only R counts: a user of R who is also a user of the model is folded in from R alone, its model factor is not
 * used (the number of such users is logged). Ratings of items the model does not know are ignored and counted. R is
 * de-duplicated per (user, item) with the model's {@code duplicates} policy, as training's set-up does.
 *
 * <p>On the executors: R is joined with the item table (a shuffle join, which adaptive execution turns into a
 * broadcast of the item table when that turns out small), grouped by user with a repartition and a sort, and solved {@link #FOLD_BLOCK} users at a time; only YᵀY
 * (implicit models, rank x rank) passes through the driver.
 */
final class RecommendFoldIn {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendFoldIn.class);
  /** Users solved together: their rated items are gathered into one table, as a training block does. */
  static final int FOLD_BLOCK = 1024;

  private RecommendFoldIn() {}

  /** The schema of {@link #users}: recommend's user columns, plus the per-user counts the log reports. */
  static StructType schema(DataType userType) {
    return new StructType().add("id", userType, false).add("bias", DataTypes.FloatType, false)
        .add("features", new ArrayType(DataTypes.FloatType, false), true)
        .add("seen", new ArrayType(DataTypes.IntegerType, false), false)
        .add("known", DataTypes.IntegerType, false).add("unknown", DataTypes.IntegerType, false);
  }

  /**
   * The folded users, persisted: {@code id} (the model's user id type), {@code bias}, {@code features} (null for a
   * user none of whose items the model knows), {@code seen} (the sorted positions of the user's items in R),
   * {@code known} and {@code unknown} (ratings of model items and of other items).
   *
   * @param ratings R as {@link io.blockals.data.RatingsInput#ratings()} gives it
   * @param sorted the model's items sorted by id with their positions ({@link ServeBlocks#sortedItems})
   */
  static Dataset<Row> users(SparkSession spark, PublishedModel pm, String model, String path, Dataset<Row> ratings,
      JavaPairRDD<Row, Long> sorted, DataType userType, int parts) {
    AlsParams params = params(pm.json(), model);
    int rank = params.rank();
    double[] yty = params.implicit() ? itemGram(sorted, rank) : null;
    FoldIn foldIn = new FoldIn(params, pm.globalMean(), yty);
    DuplicatePolicy duplicates = params.duplicates();
    boolean longIds = DataTypes.LongType.equals(userType);

    StructType itemSchema = new StructType().add("i_pos", DataTypes.IntegerType, false)
        .add("i_id", DataTypes.StringType, false).add("i_bias", DataTypes.FloatType, false)
        .add("i_features", new ArrayType(DataTypes.FloatType, false), false);
    Dataset<Row> items = spark.createDataFrame(sorted.map(t -> RowFactory.create(t._2.intValue(),
        t._1.get(0).toString(), t._1.isNullAt(1) ? 0f : t._1.getFloat(1), t._1.get(2))), itemSchema);
    Dataset<Row> joined = ratings.select(col("user"), col("item"), col("rating"), col("ts"), col("ord"))
        .join(items, col("item").equalTo(col("i_id")), "left")
        .select("user", "item", "rating", "ts", "ord", "i_pos", "i_bias", "i_features")
        .repartition(parts, col("user"))
        .sortWithinPartitions("user", "i_pos", "ord");
    JavaRDD<Row> solved = joined.javaRDD().mapPartitions(
        rows -> new Solver(foldIn, rank, duplicates, longIds, path).run(rows));
    Dataset<Row> out = spark.createDataFrame(solved, schema(userType)).persist(StorageLevel.MEMORY_AND_DISK());
    report(out, pm, path);
    return out;
  }

  /** Logs what fold-in used and left out, in one job over the folded users and one over their ids. */
  private static void report(Dataset<Row> folded, PublishedModel pm, String path) {
    Row c = folded.agg(count("*"), sum("known"), sum("unknown"),
        sum(when(col("features").isNull(), 1).otherwise(0))).first();
    long users = c.getLong(0);
    long known = c.isNullAt(1) ? 0 : c.getLong(1);
    long unknown = c.isNullAt(2) ? 0 : c.getLong(2);
    long empty = c.isNullAt(3) ? 0 : c.getLong(3);
    long modelUsers = folded.select("id").join(pm.users().select("id"), "id").count();
    LOG.info("fold-in from {}: {} users, {} ratings of model items", path, users, known);
    if (unknown > 0) {
      LOG.info("fold-in: {} ratings of items the model does not know were ignored", unknown);
    }
    if (empty > 0) {
      LOG.warn("fold-in: {} users rate no item of the model: no factor, no recommendations", empty);
    }
    if (modelUsers > 0) {
      LOG.info("fold-in: {} users of {} are also users of the model; they are folded in from {} alone", modelUsers,
          path, path);
    }
  }

  /** YᵀY over every item factor: one packed partial per partition, summed in partition order (deterministic). */
  private static double[] itemGram(JavaPairRDD<Row, Long> sorted, int rank) {
    List<double[]> parts = sorted.keys().mapPartitions((Iterator<Row> rows) -> {
      List<Float> values = new ArrayList<>();
      int n = 0;
      while (rows.hasNext()) {
        List<Object> f = rows.next().getList(2);
        for (Object v : f) {
          values.add(((Number) v).floatValue());
        }
        n++;
      }
      float[] flat = new float[values.size()];
      for (int t = 0; t < flat.length; t++) {
        flat[t] = values.get(t);
      }
      return List.of(n == 0 ? new double[rank * (rank + 1) / 2] : FoldIn.gram(flat, n, rank)).iterator();
    }).collect();
    double[] yty = new double[rank * (rank + 1) / 2];
    for (double[] p : parts) {
      for (int t = 0; t < yty.length; t++) {
        yty[t] += p[t];
      }
    }
    return yty;
  }

  /** The training parameters fold-in needs, from model.json's {@code params}. */
  static AlsParams params(Map<String, Object> json, String model) {
    if (!(json.get("params") instanceof Map<?, ?> p)) {
      throw BlockalsException.usage("model " + model + ": model.json has no params; --for-ratings solves new users "
          + "with the training parameters, so it needs a model written by blockals train");
    }
    try {
      return new AlsParams(number(p, "rank", model).intValue(), 0, number(p, "reg_param", model).doubleValue(),
          flag(p, "implicit", model), number(p, "alpha", model).doubleValue(), flag(p, "biases", model),
          flag(p, "nonnegative", model), String.valueOf(value(p, "solver", model)), 1, 1, 0L, 0,
          DuplicatePolicy.parse(String.valueOf(value(p, "duplicates", model))), 0.0, 0,
          // Without the keys in model.json: the defaults, linear scaling and epsilon 1.
          AlsParams.AlphaScaling.valueOf(String.valueOf(p.containsKey("alpha_scaling") ? p.get("alpha_scaling")
              : "linear").toUpperCase(java.util.Locale.ROOT)),
          p.get("epsilon") instanceof Number e ? e.doubleValue() : 1.0);
    } catch (IllegalArgumentException e) {
      throw BlockalsException.usage("model " + model + ": model.json params: " + e.getMessage());
    }
  }

  private static Object value(Map<?, ?> p, String key, String model) {
    Object v = p.get(key);
    if (v == null) {
      throw BlockalsException.usage("model " + model + ": model.json params has no '" + key + "', which "
          + "--for-ratings needs to solve new users as training did");
    }
    return v;
  }

  private static Number number(Map<?, ?> p, String key, String model) {
    if (!(value(p, key, model) instanceof Number n)) {
      throw BlockalsException.usage("model " + model + ": model.json params." + key + " is not a number");
    }
    return n;
  }

  private static boolean flag(Map<?, ?> p, String key, String model) {
    if (!(value(p, key, model) instanceof Boolean b)) {
      throw BlockalsException.usage("model " + model + ": model.json params." + key + " is not true or false");
    }
    return b;
  }

  /**
   * Solves the users of one partition, whose rows arrive sorted by (user, item position, ord) with unknown items
   * (null position) first, {@link #FOLD_BLOCK} users at a time.
   */
  private static final class Solver {
    private final FoldIn foldIn;
    private final int rank;
    private final DuplicatePolicy duplicates;
    private final boolean longIds;
    private final String path;
    // The block being collected: one entry per user, one per kept rating.
    private final List<String> users = new ArrayList<>();
    private final List<int[]> counts = new ArrayList<>();
    private final List<Integer> rowPtr = new ArrayList<>();
    private final List<Integer> pos = new ArrayList<>();
    private final List<Float> value = new ArrayList<>();
    private final Map<Integer, Integer> local = new HashMap<>();
    private final List<Integer> localPositions = new ArrayList<>();
    private final List<Float> otherBias = new ArrayList<>();
    private final List<float[]> otherFeatures = new ArrayList<>();

    Solver(FoldIn foldIn, int rank, DuplicatePolicy duplicates, boolean longIds, String path) {
      this.foldIn = foldIn;
      this.rank = rank;
      this.duplicates = duplicates;
      this.longIds = longIds;
      this.path = path;
    }

    Iterator<Row> run(Iterator<Row> rows) {
      List<Row> out = new ArrayList<>();
      Row pending = rows.hasNext() ? rows.next() : null;
      while (pending != null) {
        String user = pending.getString(0);
        int known = 0;
        int unknown = 0;
        rowPtr.add(pos.size());
        while (pending != null && pending.getString(0).equals(user)) {
          if (pending.isNullAt(5)) {
            unknown++;
            pending = rows.hasNext() ? rows.next() : null;
            continue;
          }
          // The rows of one (user, item) pair, in input order: keep one, as training's set-up does.
          Row first = pending;
          int item = first.getInt(5);
          Row win = first;
          float winValue = (float) first.getDouble(2);
          double total = winValue;
          int copies = 1;
          pending = rows.hasNext() ? rows.next() : null;
          while (pending != null && pending.getString(0).equals(user) && !pending.isNullAt(5)
              && pending.getInt(5) == item) {
            copies++;
            float v = (float) pending.getDouble(2);
            total += v;
            boolean later = ts(pending) > ts(win) || (ts(pending) == ts(win) && pending.getLong(4) > win.getLong(4));
            if ((duplicates == DuplicatePolicy.LATEST) == later) {
              win = pending;
              winValue = v;
            }
            pending = rows.hasNext() ? rows.next() : null;
          }
          if (copies > 1 && duplicates == DuplicatePolicy.FAIL) {
            throw BlockalsException.inputRejected(path + ": duplicate rating for user '" + user + "' and item '"
                + first.getString(1) + "' (" + copies + " rows); the model was trained with duplicates = fail, "
                + "set duplicates = latest, first or sum to resolve them");
          }
          float v = copies > 1 && duplicates == DuplicatePolicy.SUM ? (float) total : winValue;
          pos.add(localIndex(item, win));
          value.add(v);
          known++;
        }
        users.add(user);
        counts.add(new int[] {known, unknown});
        if (users.size() == FOLD_BLOCK || pending == null) {
          solveBlock(out);
        }
      }
      return out.iterator();
    }

    private static long ts(Row r) {
      return r.isNullAt(3) ? Long.MIN_VALUE : r.getLong(3);
    }

    private int localIndex(int item, Row r) {
      Integer at = local.get(item);
      if (at != null) {
        return at;
      }
      int next = localPositions.size();
      local.put(item, next);
      localPositions.add(item);
      otherBias.add(r.isNullAt(6) ? 0f : r.getFloat(6));
      List<Object> f = r.getList(7);
      if (f.size() != rank) {
        throw new IllegalStateException("item factor at position " + item + " has " + f.size()
            + " features, model.json says rank " + rank);
      }
      float[] a = new float[rank];
      for (int j = 0; j < rank; j++) {
        a[j] = ((Number) f.get(j)).floatValue();
      }
      otherFeatures.add(a);
      return next;
    }

    private void solveBlock(List<Row> out) {
      int n = users.size();
      rowPtr.add(pos.size());
      int numOther = localPositions.size();
      float[] other = new float[numOther * rank];
      float[] bias = new float[numOther];
      for (int t = 0; t < numOther; t++) {
        System.arraycopy(otherFeatures.get(t), 0, other, t * rank, rank);
        bias[t] = otherBias.get(t);
      }
      int[] ptr = toInts(rowPtr);
      int[] p = toInts(pos);
      float[] v = new float[value.size()];
      for (int t = 0; t < v.length; t++) {
        v[t] = value.get(t);
      }
      float[] x = foldIn.solve(ptr, p, v, other, bias, numOther);
      int dim = foldIn.dim();
      for (int r = 0; r < n; r++) {
        Integer[] seen = new Integer[ptr[r + 1] - ptr[r]];
        for (int j = ptr[r]; j < ptr[r + 1]; j++) {
          seen[j - ptr[r]] = localPositions.get(p[j]);
        }
        java.util.Arrays.sort(seen);
        Float[] features = null;
        float b = 0f;
        if (seen.length > 0) {
          features = new Float[rank];
          for (int j = 0; j < rank; j++) {
            features[j] = x[r * dim + j];
          }
          b = dim > rank ? x[r * dim + rank] : 0f;
        }
        out.add(RowFactory.create(id(users.get(r)), b, features, seen, counts.get(r)[0], counts.get(r)[1]));
      }
      users.clear();
      counts.clear();
      rowPtr.clear();
      pos.clear();
      value.clear();
      local.clear();
      localPositions.clear();
      otherBias.clear();
      otherFeatures.clear();
    }

    private Object id(String user) {
      if (!longIds) {
        return user;
      }
      try {
        long id = Long.parseLong(user);
        if (Long.toString(id).equals(user)) {
          return id;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw BlockalsException.inputRejected(path + ": user id '" + user + "' is not a whole number, but the "
          + "model's user ids are long, so recommendations could not name it; use a model with string ids");
    }

    private static int[] toInts(List<Integer> l) {
      int[] a = new int[l.size()];
      for (int t = 0; t < a.length; t++) {
        a[t] = l.get(t);
      }
      return a;
    }
  }
}
