package io.blockals.job;

import static io.blockals.Approx.assertClose;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.FactorRows;
import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.PublishedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fold-in against two oracles. Planted data (300 users x 60 items, rank 4, noise 0.05); user {@code u007} is held
 * out of one model ("without") and kept in another ("with"). Folded into the model without it, from its ratings
 * alone:
 * <ul>
 *   <li>its factor and bias equal the solution of the ALS-WR normal equations built here by hand from that model's
 *       item factors (Gaussian elimination in double), to rounding: the summation order and the float the factor is
 *       stored in (1.6e-8 here), so within 1e-6;
 *   <li>they are close to what training gives it with the user present. Not equal: there the item factors also moved
 *       to fit this user (each item has ~100 ratings, so by ~1/100 of the fit), and the other users with them. The
 *       relative distance |folded - trained| / |trained| is 0.032 on this data; the bound is 0.05;
 *   <li>its top items equal brute force over the hand-solved factor, and the trained model's top items.
 * </ul>
 */
class RecommendFoldInIT extends SparkTestBase {
  private static final int USERS = 300;
  private static final int ITEMS = 60;
  private static final int RANK = 4;
  private static final String HELD = "u007";
  private static final String MODEL_USER = "u001";
  private static final double REG = 0.02;
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec();

  private static Path dir;
  private static Path withUser;
  private static Path withoutUser;
  private static Path forRatings;
  /** u007's ratings as training sees them: item -> rating. */
  private static final Map<String, Double> held = new LinkedHashMap<>();
  /** u001's ratings in R only (different from its training ratings). */
  private static final Map<String, Double> modelUserInR = new LinkedHashMap<>();

  @BeforeAll
  static void trainBothModels() throws IOException {
    dir = Files.createTempDirectory("blockals-foldin");
    Random rnd = new Random(42);
    double[][] p = gaussian(rnd, USERS, 0.7);
    double[][] q = gaussian(rnd, ITEMS, 0.7);
    StringBuilder all = new StringBuilder("user,item,rating\n");
    StringBuilder without = new StringBuilder("user,item,rating\n");
    for (int u = 0; u < USERS; u++) {
      String user = String.format("u%03d", u);
      int n = user.equals(HELD) ? 30 : 20;
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < ITEMS; i++) {
        items.add(i);
      }
      java.util.Collections.shuffle(items, rnd);
      for (int t = 0; t < n; t++) {
        int i = items.get(t);
        double r = 3.0 + 0.3 * (u % 5 - 2) + 0.2 * (i % 7 - 3) + dot(p[u], q[i]) + 0.05 * rnd.nextGaussian();
        String item = String.format("i%02d", i);
        String line = user + "," + item + "," + String.format(java.util.Locale.ROOT, "%.4f", r) + "\n";
        all.append(line);
        if (user.equals(HELD)) {
          held.put(item, Double.parseDouble(line.split(",")[2]));
        } else {
          without.append(line);
        }
      }
    }
    Files.writeString(dir.resolve("all.csv"), all);
    Files.writeString(dir.resolve("without.csv"), without);
    // R: the held-out user, with a duplicate of its first rating written before it (latest wins, as in training) and
    // a rating of an item no model knows; and a model user with five ratings of its own.
    StringBuilder r = new StringBuilder("user,item,rating\n");
    String firstItem = held.keySet().iterator().next();
    r.append(HELD).append(',').append(firstItem).append(",0.5\n");
    held.forEach((item, v) -> r.append(HELD).append(',').append(item).append(',').append(v).append('\n'));
    r.append(HELD).append(",i_not_in_model,4\n");
    for (int i = 0; i < 5; i++) {
      modelUserInR.put(String.format("i%02d", 10 + i), 5.0 - i);
      r.append(MODEL_USER).append(',').append(String.format("i%02d", 10 + i)).append(',').append(5.0 - i)
          .append('\n');
    }
    forRatings = dir.resolve("r.csv");
    Files.writeString(forRatings, r);

    withUser = dir.resolve("with");
    withoutUser = dir.resolve("without");
    TrainJob.run(spark, dir.resolve("all.csv").toString(), withUser.toString(), config());
    TrainJob.run(spark, dir.resolve("without.csv").toString(), withoutUser.toString(), config());
  }

  private static JobConfig config(String... more) {
    Map<String, String> set = new HashMap<>(Map.of("rank", String.valueOf(RANK), "max_iter", "25",
        "reg_param", String.valueOf(REG), "num_user_blocks", "2", "num_item_blocks", "2"));
    for (String kv : more) {
      set.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return JobConfig.load(null, set, new Configuration());
  }

  private static double[][] gaussian(Random rnd, int n, double scale) {
    double[][] m = new double[n][RANK];
    for (double[] row : m) {
      for (int j = 0; j < RANK; j++) {
        row[j] = scale * rnd.nextGaussian();
      }
    }
    return m;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  /** Folded users by id: features then bias, and the (known, unknown) counts. */
  private record Folded(Map<String, float[]> factors, Map<String, int[]> counts) {}

  private static Folded fold(Path model) {
    PublishedModel pm = PublishedModel.open(spark, model.toString());
    JavaPairRDD<Row, Long> sorted = ServeBlocks.sortedItems(pm.items());
    try (RatingsInput in = RatingsReader.read(spark, forRatings.toString(), SPEC)) {
      Dataset<Row> users = RecommendFoldIn.users(spark, pm, model.toString(), forRatings.toString(), in.ratings(),
          sorted, pm.users().schema().apply("id").dataType(), 3);
      Map<String, float[]> f = new HashMap<>();
      Map<String, int[]> c = new HashMap<>();
      for (Row row : users.collectAsList()) {
        List<Float> feats = row.getList(2);
        float[] v = new float[RANK + 1];
        for (int j = 0; j < RANK; j++) {
          v[j] = feats.get(j);
        }
        v[RANK] = row.getFloat(1);
        f.put(row.getString(0), v);
        c.put(row.getString(0), new int[] {row.getInt(4), row.getInt(5)});
      }
      users.unpersist();
      return new Folded(f, c);
    }
  }

  private static double globalMean(Path model) {
    return PublishedModel.open(spark, model.toString()).globalMean();
  }

  /**
   * The oracle: minimise sum (r - mu - b_i - [x, b] . [q_i, 1])^2 + lambda n |[x, b]|^2 (ALS-WR, the bias
   * regularised with the features, as training does), i.e. (sum y y' + lambda n I) z = sum (r - mu - b_i) y with
   * y = [q_i, 1], solved by Gaussian elimination with partial pivoting.
   */
  private static double[] explicitOracle(Map<String, Double> ratings, Map<String, float[]> items, double mu) {
    int dim = RANK + 1;
    double[][] a = new double[dim][dim + 1];
    int n = 0;
    for (var e : ratings.entrySet()) {
      float[] it = items.get(e.getKey());
      double[] y = new double[dim];
      for (int j = 0; j < RANK; j++) {
        y[j] = it[j];
      }
      y[RANK] = 1.0;
      double target = e.getValue().floatValue() - mu - it[RANK];
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j < dim; j++) {
          a[i][j] += y[i] * y[j];
        }
        a[i][dim] += target * y[i];
      }
      n++;
    }
    for (int i = 0; i < dim; i++) {
      a[i][i] += REG * n;
    }
    return gauss(a);
  }

  static double[] gauss(double[][] a) {
    int dim = a.length;
    for (int c = 0; c < dim; c++) {
      int best = c;
      for (int r = c + 1; r < dim; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[best][c])) {
          best = r;
        }
      }
      double[] t = a[c];
      a[c] = a[best];
      a[best] = t;
      for (int r = c + 1; r < dim; r++) {
        double m = a[r][c] / a[c][c];
        for (int k = c; k <= dim; k++) {
          a[r][k] -= m * a[c][k];
        }
      }
    }
    double[] x = new double[dim];
    for (int r = dim - 1; r >= 0; r--) {
      double s = a[r][dim];
      for (int k = r + 1; k < dim; k++) {
        s -= a[r][k] * x[k];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** Items by score (mu + b_u + b_i + dot), best first, ties by id; the rated items left out. */
  private static List<String> top(float[] user, Map<String, float[]> items, double mu, Set<String> rated, int k) {
    List<String> ids = new ArrayList<>();
    for (String id : items.keySet()) {
      if (!rated.contains(id)) {
        ids.add(id);
      }
    }
    ids.sort(Comparator.<String>comparingDouble(id -> -FactorRows.predict(mu, user, items.get(id)))
        .thenComparing(Comparator.naturalOrder()));
    return ids.subList(0, Math.min(k, ids.size()));
  }

  @Test
  void heldOutUserFoldedInMatchesTheHalfStepSolveAndTheTrainedFactor() throws IOException {
    Map<String, float[]> itemsWithout = FactorRows.collect(spark.read().parquet(withoutUser.resolve("item_factors")
        .toString()));
    double mu = globalMean(withoutUser);
    Folded folded = fold(withoutUser);
    float[] got = folded.factors().get(HELD);
    assertThat(folded.counts().get(HELD)).as("known, unknown ratings of %s (the duplicate counted once)", HELD)
        .containsExactly(30, 1);

    double[] exact = explicitOracle(held, itemsWithout, mu);
    for (int j = 0; j <= RANK; j++) {
      assertClose(got[j], exact[j], 1e-6, 1e-6, (j < RANK ? "feature " + j : "bias") + " of the folded user");
    }

    // With the user present in training, the item factors moved to fit it too: the factor differs by that much
    // (0.032 relative on this data).
    float[] trained = FactorRows.collect(spark.read().parquet(withUser.resolve("user_factors").toString())).get(HELD);
    double diff = 0;
    double norm = 0;
    for (int j = 0; j <= RANK; j++) {
      diff += (got[j] - trained[j]) * (got[j] - trained[j]);
      norm += trained[j] * trained[j];
    }
    assertThat(Math.sqrt(diff / norm)).as("|folded - trained| / |trained|").isLessThan(0.05);

    // Same top items: brute force over the hand-solved factor in this model, and the trained model's own top items.
    float[] exactF = new float[RANK + 1];
    for (int j = 0; j <= RANK; j++) {
      exactF[j] = (float) exact[j];
    }
    Path out = dir.resolve("recs");
    RecommendJob.run(spark, withoutUser.toString(), 5, forRatings.toString(), null, null, SPEC, out.toString());
    Map<String, List<String>> recs = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).orderBy("user", "rank").collectAsList()) {
      recs.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r.getString(1));
    }
    assertThat(recs).containsOnlyKeys(HELD, MODEL_USER);
    assertThat(recs.get(HELD)).isEqualTo(top(exactF, itemsWithout, mu, held.keySet(), 5));
    Map<String, float[]> itemsWith = FactorRows.collect(spark.read().parquet(withUser.resolve("item_factors")
        .toString()));
    assertThat(recs.get(HELD)).isEqualTo(top(trained, itemsWith, globalMean(withUser), held.keySet(), 5));

    // --exclude-seen with fold-in: the folded user's own items and the excluded ones are both left out.
    String first = recs.get(HELD).get(0);
    Path seen = dir.resolve("seen.csv");
    Files.writeString(seen, "user,item,rating\n" + HELD + "," + first + ",1\n" + HELD + ",not_an_item,1\n");
    Path outSeen = dir.resolve("recs-seen");
    RecommendJob.run(spark, withoutUser.toString(), 5, forRatings.toString(), seen.toString(), null, SPEC,
        outSeen.toString());
    List<String> heldRecs = new ArrayList<>();
    for (Row r : spark.read().parquet(outSeen.toString()).filter(col("user").equalTo(HELD)).orderBy("rank")
        .collectAsList()) {
      heldRecs.add(r.getString(1));
    }
    Set<String> excluded = new HashSet<>(held.keySet());
    excluded.add(first);
    assertThat(heldRecs).isEqualTo(top(exactF, itemsWithout, mu, excluded, 5));
  }

  @Test
  void aModelUserInTheRatingsIsFoldedInFromThoseRatingsAlone() {
    Map<String, float[]> items = FactorRows.collect(spark.read().parquet(withoutUser.resolve("item_factors")
        .toString()));
    Folded folded = fold(withoutUser);
    float[] got = folded.factors().get(MODEL_USER);
    double[] exact = explicitOracle(modelUserInR, items, globalMean(withoutUser));
    for (int j = 0; j <= RANK; j++) {
      assertClose(got[j], exact[j], 1e-6, 1e-6, (j < RANK ? "feature " + j : "bias") + " of " + MODEL_USER);
    }
    float[] inModel = FactorRows.collect(spark.read().parquet(withoutUser.resolve("user_factors").toString()))
        .get(MODEL_USER);
    double apart = 0;
    for (int j = 0; j <= RANK; j++) {
      apart = Math.max(apart, Math.abs(got[j] - inModel[j]));
    }
    assertThat(apart).as("the model's own factor of %s is not what fold-in used", MODEL_USER).isGreaterThan(0.05);
  }

  @Test
  void implicitModelFoldsInWithTheImplicitEquationsAndYty() throws IOException {
    Path implicit = dir.resolve("implicit");
    double alpha = 0.5;
    TrainJob.run(spark, dir.resolve("without.csv").toString(), implicit.toString(),
        config("implicit=true", "alpha=" + alpha, "max_iter=10"));
    Map<String, float[]> items = FactorRows.collect(spark.read().parquet(implicit.resolve("item_factors")
        .toString()));
    Folded folded = fold(implicit);
    float[] got = folded.factors().get(HELD);
    assertThat(got[RANK]).as("no bias in an implicit model").isZero();

    // (Y'Y + sum_i c_i y_i y_i' + lambda n I) x = sum_i (1 + c_i) y_i, c_i = alpha |r_i|, over positive ratings.
    double[][] a = new double[RANK][RANK + 1];
    for (float[] y : items.values()) {
      for (int i = 0; i < RANK; i++) {
        for (int j = 0; j < RANK; j++) {
          a[i][j] += (double) y[i] * y[j];
        }
      }
    }
    int n = 0;
    for (var e : held.entrySet()) {
      float[] y = items.get(e.getKey());
      double r = e.getValue().floatValue();
      double c = alpha * Math.abs(r);
      for (int i = 0; i < RANK; i++) {
        for (int j = 0; j < RANK; j++) {
          a[i][j] += c * y[i] * y[j];
        }
        a[i][RANK] += r > 0 ? (1 + c) * y[i] : 0;
      }
      n += r > 0 ? 1 : 0;
    }
    for (int i = 0; i < RANK; i++) {
      a[i][i] += REG * n;
    }
    double[] exact = gauss(a);
    for (int j = 0; j < RANK; j++) {
      assertClose(got[j], exact[j], 1e-6, 1e-6, "feature " + j + " of the implicitly folded user");
    }
  }
}
