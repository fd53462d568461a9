package io.blockals.job;

import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.metrics.RankingResult;
import io.blockals.model.ModelFormat;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate's ranking metrics against a brute force over hand-made models: every item scored by the published formula
 * for every test user, train items removed, sorted by score and then item id, and each metric computed from its
 * definition. Factors are small multiples of 1/2, so scores are exact and ties are common: the tie rules (item id
 * order in the ranking, one half in the AUC) are checked too.
 */
class EvaluateJobIT extends SparkTestBase {
  private static final int RANK = 3;
  private static final int K = 5;
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec();

  @TempDir
  Path tmp;

  record F(String id, float bias, float[] f) {}

  record Rating(String user, String item, double rating) {}

  private static List<F> rows(Random rnd, int n, String prefix, boolean biases) {
    List<F> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] f = new float[RANK];
      for (int j = 0; j < RANK; j++) {
        f[j] = (rnd.nextInt(5) - 2) * 0.5f;
      }
      out.add(new F(prefix + String.format("%02d", (i * 7) % n), biases ? rnd.nextInt(3) * 0.5f : 0f, f));
    }
    return out;
  }

  private Path writeModel(String name, List<F> users, List<F> items, double mu, boolean implicit) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    for (var e : Map.of(ModelFormat.USER_FACTORS, users, ModelFormat.ITEM_FACTORS, items).entrySet()) {
      List<Row> rs = new ArrayList<>();
      for (F r : e.getValue()) {
        Float[] boxed = new Float[RANK];
        for (int j = 0; j < RANK; j++) {
          boxed[j] = r.f[j];
        }
        rs.add(RowFactory.create(r.id, r.bias, boxed));
      }
      spark.createDataFrame(rs, ModelFormat.factorSchema(false)).repartition(3).write()
          .parquet(dir.resolve(e.getKey()).toString());
    }
    Files.writeString(dir.resolve(ModelFormat.MODEL_JSON), "{\"format_version\": " + ModelFormat.FORMAT_VERSION
        + ", \"engine\": \"blockals\", \"global_mean\": " + mu + ", \"params\": {\"implicit\": " + implicit + "}}");
    Files.writeString(dir.resolve(ModelFormat.SUCCESS), "");
    return dir;
  }

  private Path writeCsv(String name, List<Rating> rows) throws IOException {
    StringBuilder sb = new StringBuilder("user,item,rating\n");
    for (Rating r : rows) {
      sb.append(r.user).append(',').append(r.item).append(',').append(r.rating).append('\n');
    }
    Path p = tmp.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  /** Train and test ratings over the model's ids, plus an unknown user, an unknown item and a train pair in test. */
  private static List<List<Rating>> ratings(Random rnd, List<F> users, List<F> items) {
    List<Rating> train = new ArrayList<>();
    List<Rating> test = new ArrayList<>();
    for (F u : users) {
      for (F i : items) {
        double p = rnd.nextDouble();
        if (p < 0.25) {
          train.add(new Rating(u.id, i.id, 1 + rnd.nextInt(5)));
        } else if (p < 0.40) {
          test.add(new Rating(u.id, i.id, 1 + rnd.nextInt(5)));
        }
      }
    }
    test.add(new Rating("ghost", items.get(0).id, 5));
    test.add(new Rating(users.get(0).id, "unknown-item", 5));
    Rating again = train.get(0);
    test.add(new Rating(again.user, again.item, 5));
    return List.of(train, test);
  }

  private static double score(double mu, F u, F i) {
    double d = 0;
    for (int j = 0; j < RANK; j++) {
      d += (double) u.f[j] * i.f[j];
    }
    return mu + u.bias + i.bias + d;
  }

  /** precision, recall, ndcg, map, auc, users and auc users from the definitions, user by user. */
  private static double[] bruteForce(List<F> users, List<F> items, double mu, List<Rating> train, List<Rating> test,
      double threshold, int k) {
    Set<String> seen = new HashSet<>();
    train.forEach(r -> seen.add(r.user + "|" + r.item));
    Set<String> itemIds = new HashSet<>();
    items.forEach(i -> itemIds.add(i.id));
    double[] sums = new double[7];
    for (F u : users) {
      Set<String> pos = new HashSet<>();
      for (Rating r : test) {
        if (r.user.equals(u.id) && r.rating >= threshold && itemIds.contains(r.item)
            && !seen.contains(r.user + "|" + r.item)) {
          pos.add(r.item);
        }
      }
      if (pos.isEmpty()) {
        continue;
      }
      List<F> cand = new ArrayList<>();
      for (F i : items) {
        if (!seen.contains(u.id + "|" + i.id)) {
          cand.add(i);
        }
      }
      cand.sort(Comparator.<F>comparingDouble(i -> -score(mu, u, i)).thenComparing(F::id));
      int hits = 0;
      double dcg = 0;
      double ap = 0;
      for (int r = 0; r < Math.min(k, cand.size()); r++) {
        if (pos.contains(cand.get(r).id)) {
          hits++;
          dcg += 1 / (Math.log(r + 2) / Math.log(2));
          ap += (double) hits / (r + 1);
        }
      }
      int cut = Math.min(k, pos.size());
      double idcg = 0;
      for (int r = 0; r < cut; r++) {
        idcg += 1 / (Math.log(r + 2) / Math.log(2));
      }
      sums[0] += (double) hits / k;
      sums[1] += (double) hits / cut;
      sums[2] += dcg / idcg;
      sums[3] += ap / cut;
      sums[5]++;
      double won = 0;
      long pairs = 0;
      for (F p : cand) {
        if (!pos.contains(p.id)) {
          continue;
        }
        for (F n : cand) {
          if (pos.contains(n.id)) {
            continue;
          }
          double sp = score(mu, u, p);
          double sn = score(mu, u, n);
          won += sp > sn ? 1 : sp == sn ? 0.5 : 0;
          pairs++;
        }
      }
      if (pairs > 0) {
        sums[4] += won / pairs;
        sums[6]++;
      }
    }
    return new double[] {sums[0] / sums[5], sums[1] / sums[5], sums[2] / sums[5], sums[3] / sums[5],
        sums[4] / sums[6], sums[5], sums[6]};
  }

  private static void assertMatches(RankingResult r, double[] expected) {
    assertThat(r.users()).as("ranking users").isEqualTo((long) expected[5]);
    assertThat(r.aucUsers()).as("auc users").isEqualTo((long) expected[6]);
    assertClose(r.precision(), expected[0], 1e-12, "precision@k");
    assertClose(r.recall(), expected[1], 1e-12, "recall@k");
    assertClose(r.ndcg(), expected[2], 1e-12, "ndcg@k");
    assertClose(r.map(), expected[3], 1e-12, "map@k");
    assertClose(r.auc(), expected[4], 1e-12, "auc");
  }

  @Test
  void explicitModelWithAThresholdMatchesBruteForceAndKeepsItsErrors() throws IOException {
    Random rnd = new Random(11);
    List<F> users = rows(rnd, 30, "u", true);
    List<F> items = rows(rnd, 50, "i", true);
    double mu = 0.5;
    Path model = writeModel("explicit", users, items, mu, false);
    List<List<Rating>> data = ratings(rnd, users, items);
    Path train = writeCsv("train.csv", data.get(0));
    Path test = writeCsv("test.csv", data.get(1));

    EvaluateJob.Evaluation ev = EvaluateJob.evaluate(spark, model.toString(), test.toString(), SPEC,
        new EvaluateJob.Options(train.toString(), K, 4.0));

    assertMatches(ev.ranking(), bruteForce(users, items, mu, data.get(0), data.get(1), 4.0, K));
    assertThat(ev.values().keySet()).startsWith("rmse", "mae", "count", "cold", "warm_rmse")
        .contains("recall@5", "ndcg@5", "auc");
    assertThat(ev.errors().count()).isEqualTo(data.get(1).size());
    assertThat(ev.errors().cold()).as("the unknown user and the unknown item").isEqualTo(2);
  }

  @Test
  void implicitModelRanksPositiveRatingsAndPrintsNoRmse() throws IOException {
    Random rnd = new Random(12);
    List<F> users = rows(rnd, 25, "u", false);
    List<F> items = rows(rnd, 40, "i", false);
    Path model = writeModel("implicit", users, items, 0.0, true);
    List<List<Rating>> data = ratings(rnd, users, items);
    Path train = writeCsv("train.csv", data.get(0));
    Path test = writeCsv("test.csv", data.get(1));

    EvaluateJob.Evaluation ev = EvaluateJob.evaluate(spark, model.toString(), test.toString(), SPEC,
        new EvaluateJob.Options(train.toString(), 3, null));

    // implicit positives: every held-out rating above 0, here all of them (counts 1..5)
    assertMatches(ev.ranking(), bruteForce(users, items, 0.0, data.get(0), data.get(1), Double.MIN_VALUE, 3));
    assertThat(ev.values()).doesNotContainKeys("rmse", "mae", "warm_rmse").containsKeys("count", "precision@3");
    assertThat(ev.lines()).noneMatch(l -> l.contains("rmse"));
  }

  @Test
  void withoutTrainEveryItemIsRanked() throws IOException {
    Random rnd = new Random(13);
    List<F> users = rows(rnd, 10, "u", false);
    List<F> items = rows(rnd, 20, "i", false);
    Path model = writeModel("all", users, items, 0.0, true);
    List<List<Rating>> data = ratings(rnd, users, items);
    Path test = writeCsv("test.csv", data.get(1));

    RankingResult r = EvaluateJob.evaluate(spark, model.toString(), test.toString(), SPEC,
        new EvaluateJob.Options(null, 4, null)).ranking();

    assertMatches(r, bruteForce(users, items, 0.0, List.of(), data.get(1), Double.MIN_VALUE, 4));
  }

  @Test
  void aModelThatRanksThePositivesFirstScoresOne() throws IOException {
    // rank 1: user feature 1, item feature = its score; the user's two test items are the two best unseen items
    List<F> users = List.of(new F("u", 0f, new float[] {1f, 0f, 0f}));
    List<F> items = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      items.add(new F("i" + i, 0f, new float[] {6 - i, 0f, 0f}));
    }
    Path model = writeModel("perfect", users, items, 0.0, true);
    Path train = writeCsv("train.csv", List.of(new Rating("u", "i0", 1)));
    Path test = writeCsv("test.csv", List.of(new Rating("u", "i1", 1), new Rating("u", "i2", 1)));

    RankingResult r = EvaluateJob.evaluate(spark, model.toString(), test.toString(), SPEC,
        new EvaluateJob.Options(train.toString(), 2, null)).ranking();

    // top 2 of the unseen i1..i5 is [i1, i2]: both hits; every positive outscores every negative (i3, i4, i5)
    assertThat(new double[] {r.precision(), r.recall(), r.ndcg(), r.map(), r.auc()})
        .containsExactly(1.0, 1.0, 1.0, 1.0, 1.0);
  }

  @Test
  void rankingOptionsOnAnExplicitModelNeedAThreshold() throws IOException {
    List<F> users = List.of(new F("u", 0f, new float[] {1f, 0f, 0f}));
    List<F> items = List.of(new F("i", 0f, new float[] {1f, 0f, 0f}));
    Path model = writeModel("explicit-small", users, items, 0.0, false);
    Path test = writeCsv("test.csv", List.of(new Rating("u", "i", 1)));
    assertThatThrownBy(() -> EvaluateJob.evaluate(spark, model.toString(), test.toString(), SPEC,
        new EvaluateJob.Options(test.toString(), K, null)))
        .isInstanceOf(BlockalsException.class).hasMessageContaining("--relevance-threshold");
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHoldsTheNamesAndValuesOfThePrintedLines() throws Exception {
    Scoring.Metrics m = new Scoring.Metrics(10, 0.5, 0.25, 1, Double.NaN);
    EvaluateJob.Evaluation ev = new EvaluateJob.Evaluation(false, m,
        new RankingResult(5, 3, 0.2, 0.4, 0.3, 0.1, 0.75, 2));
    Map<String, Object> json = new ObjectMapper().readValue(ev.json(), LinkedHashMap.class);
    List<String> fromJson = new ArrayList<>();
    json.forEach((name, v) -> fromJson.add(name + " " + (v == null ? "NaN"
        : v instanceof Double || v instanceof Float ? String.format(Locale.ROOT, "%.6f", v) : v)));
    assertThat(fromJson).containsExactlyElementsOf(ev.lines());
    assertThat(ev.lines()).contains("rmse 0.500000", "count 10", "warm_rmse NaN", "recall@5 0.400000", "auc 0.750000");
  }
}
