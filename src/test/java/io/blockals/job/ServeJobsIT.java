package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.model.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recommend and similar-items against brute force over hand-made models: every (user, item) pair scored by the
 * published formula, sorted by score and then item id, seen pairs removed. Factors take few distinct values so ties
 * are common.
 */
class ServeJobsIT extends SparkTestBase {
  private static final int RANK = 3;
  private static final double MU = 1.25;
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec();

  @TempDir
  Path tmp;

  /** One factor row. */
  record F(Object id, float bias, float[] f) {}

  private static List<F> rows(Random rnd, int n, boolean longIds, String prefix) {
    List<F> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] f = new float[RANK];
      for (int j = 0; j < RANK; j++) {
        f[j] = rnd.nextInt(3) - 1;
      }
      Object id = longIds ? (Object) (1_000_000_000_000L + 7L * i) : prefix + Integer.toString(i * 37 % 101, 36);
      out.add(new F(id, rnd.nextInt(2) * 0.5f, f));
    }
    return out;
  }

  private Path writeModel(List<F> users, List<F> items, boolean longIds) throws IOException {
    return writeModel("model", users, items, longIds);
  }

  private Path writeModel(String name, List<F> users, List<F> items, boolean longIds) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    DataType idType = longIds ? DataTypes.LongType : DataTypes.StringType;
    StructType schema = new StructType().add("id", idType, false).add("bias", DataTypes.FloatType, false)
        .add("features", new ArrayType(DataTypes.FloatType, false), false);
    for (var e : Map.of(ModelFormat.USER_FACTORS, users, ModelFormat.ITEM_FACTORS, items).entrySet()) {
      List<Row> rs = new ArrayList<>();
      for (F r : e.getValue()) {
        Float[] boxed = new Float[RANK];
        for (int j = 0; j < RANK; j++) {
          boxed[j] = r.f[j];
        }
        rs.add(RowFactory.create(r.id, r.bias, boxed));
      }
      spark.createDataFrame(rs, schema).repartition(3).write().parquet(dir.resolve(e.getKey()).toString());
    }
    Files.writeString(dir.resolve(ModelFormat.MODEL_JSON),
        "{\"format_version\": " + ModelFormat.FORMAT_VERSION + ", \"global_mean\": " + MU + "}");
    Files.writeString(dir.resolve(ModelFormat.SUCCESS), "");
    return dir;
  }

  private static double score(F u, F i) {
    double d = 0;
    for (int j = 0; j < RANK; j++) {
      d += (double) u.f[j] * i.f[j];
    }
    return MU + u.bias + i.bias + d;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareIds(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /** The oracle: user id -> list of item ids, best first. */
  private static Map<Object, List<Object>> bruteForce(List<F> users, List<F> items, Set<String> seen, int k,
      Set<Object> only) {
    Map<Object, List<Object>> out = new HashMap<>();
    for (F u : users) {
      if (only != null && !only.contains(u.id)) {
        continue;
      }
      List<F> cand = new ArrayList<>();
      for (F i : items) {
        if (!seen.contains(u.id + "|" + i.id)) {
          cand.add(i);
        }
      }
      cand.sort(Comparator.<F>comparingDouble(i -> -score(u, i)).thenComparing((a, b) -> compareIds(a.id, b.id)));
      List<Object> top = new ArrayList<>();
      cand.stream().limit(k).forEach(i -> top.add(i.id));
      if (!top.isEmpty()) {
        out.put(u.id, top);
      }
    }
    return out;
  }

  private Map<Object, List<Object>> read(Path out, String key, String value) {
    Map<Object, List<Object>> got = new HashMap<>();
    List<Row> rs = spark.read().parquet(out.toString()).orderBy(key, "rank").collectAsList();
    for (Row r : rs) {
      List<Object> l = got.computeIfAbsent(r.getAs(key), x -> new ArrayList<>());
      assertThat((int) r.getAs("rank")).isEqualTo(l.size() + 1);
      l.add(r.getAs(value));
    }
    return got;
  }

  private void check(boolean longIds) throws IOException {
    Random rnd = new Random(longIds ? 21 : 22);
    List<F> users = rows(rnd, 40, longIds, "u");
    List<F> items = rows(rnd, 30, longIds, "i");
    Path model = writeModel(users, items, longIds);
    // Seen pairs: random ones, and user 0 has seen all but 2 items (fewer than K rows).
    Set<String> seen = new HashSet<>();
    StringBuilder csv = new StringBuilder("user,item,rating\n");
    for (int u = 0; u < users.size(); u++) {
      for (int i = 0; i < items.size(); i++) {
        if ((u == 0 && i >= 2) || (u > 0 && rnd.nextInt(4) == 0)) {
          seen.add(users.get(u).id + "|" + items.get(i).id);
          csv.append(users.get(u).id).append(',').append(items.get(i).id).append(",3\n");
        }
      }
    }
    // A repeated pair counts once; an item or a user the model does not know is irrelevant.
    csv.append(users.get(1).id).append(',').append(items.get(0).id).append(",3\n");
    csv.append(users.get(1).id).append(',').append(items.get(0).id).append(",4\n");
    seen.add(users.get(1).id + "|" + items.get(0).id);
    csv.append(users.get(2).id).append(",no_such_item,3\n");
    csv.append("no_such_user,").append(items.get(1).id).append(",3\n");
    Path ratings = tmp.resolve("seen.csv");
    Files.writeString(ratings, csv);
    int k = 5;
    Path out = tmp.resolve("recs");
    RecommendJob.run(spark, model.toString(), k, ratings.toString(), null, SPEC, out.toString());
    assertThat(out.resolve(ModelFormat.SUCCESS)).exists();
    Map<Object, List<Object>> want = bruteForce(users, items, seen, k, null);
    assertThat(read(out, "user", "item")).isEqualTo(want);
    assertThat(want.get(users.get(0).id)).hasSize(2);
    // The scores are the published formula's.
    Map<Object, F> u = new HashMap<>();
    users.forEach(r -> u.put(r.id, r));
    Map<Object, F> it = new HashMap<>();
    items.forEach(r -> it.put(r.id, r));
    for (Row r : spark.read().parquet(out.toString()).collectAsList()) {
      assertThat((double) r.getAs("score")).isCloseTo(score(u.get(r.getAs("user")), it.get(r.getAs("item"))),
          within(1e-6));
    }

    // A subset of users, no filter; re-running onto the previous output replaces it.
    Set<Object> only = Set.of(users.get(3).id, users.get(17).id);
    Path ids = tmp.resolve("users.txt");
    Files.writeString(ids, users.get(3).id + "\n" + users.get(17).id + "\n");
    RecommendJob.run(spark, model.toString(), k, null, ids.toString(), SPEC, out.toString());
    assertThat(read(out, "user", "item")).isEqualTo(bruteForce(users, items, Set.of(), k, only));
  }

  @Test
  void recommendEqualsBruteForceWithStringIds() throws IOException {
    check(false);
  }

  @Test
  void recommendEqualsBruteForceWithLongIds() throws IOException {
    check(true);
  }

  @Test
  void aBadRowInTheSeenRatingsIsRejectedNamingFileAndLine() throws IOException {
    Random rnd = new Random(23);
    Path model = writeModel(rows(rnd, 5, false, "u"), rows(rnd, 4, false, "i"), false);
    Path ratings = tmp.resolve("bad-seen.csv");
    Files.writeString(ratings, "user,item,rating\nu0,i0,3\nu1,i1,oops\n");
    Path out = tmp.resolve("bad-seen-recs");
    assertThatThrownBy(() -> RecommendJob.run(spark, model.toString(), 2, ratings.toString(), null, SPEC,
            out.toString()))
        .isInstanceOfSatisfying(BlockalsException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
          assertThat(e.getMessage()).contains("bad-seen.csv:3:").contains("oops");
        });
    assertThat(out).doesNotExist();
  }

  @Test
  void checkerboardWithheldItemComesFirst() throws IOException {
    // Two taste groups: even users like even items, odd users odd items. Each user has seen every item of its group
    // but one; that withheld item must be its first recommendation, ahead of all items of the other group.
    List<F> users = new ArrayList<>();
    List<F> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      float[] f = i % 2 == 0 ? new float[] {1, 0, 0} : new float[] {0, 1, 0};
      users.add(new F("u" + (char) ('a' + i), 0f, f));
      items.add(new F("i" + (char) ('a' + i), 0f, f.clone()));
    }
    Path model = writeModel(users, items, false);
    StringBuilder csv = new StringBuilder("user,item,rating\n");
    Map<Object, Object> withheld = new HashMap<>();
    for (int u = 0; u < 12; u++) {
      int keep = (u + 2 * (u / 2) + (u % 2)) % 12;
      keep = keep % 2 == u % 2 ? keep : (keep + 1) % 12;
      withheld.put(users.get(u).id, items.get(keep).id);
      for (int i = u % 2; i < 12; i += 2) {
        if (i != keep) {
          csv.append(users.get(u).id).append(',').append(items.get(i).id).append(",5\n");
        }
      }
    }
    Path ratings = tmp.resolve("checker.csv");
    Files.writeString(ratings, csv);
    Path out = tmp.resolve("checker-recs");
    RecommendJob.run(spark, model.toString(), 3, ratings.toString(), null, SPEC, out.toString());
    Map<Object, List<Object>> got = read(out, "user", "item");
    assertThat(got).hasSize(12);
    for (var e : got.entrySet()) {
      assertThat(e.getValue().get(0)).as("user %s", e.getKey()).isEqualTo(withheld.get(e.getKey()));
    }
  }

  @Test
  void similarItemsEqualsBruteForceCosineNeverItselfAndWithoutZeroVectors() throws IOException {
    Random rnd = new Random(5);
    List<F> items = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      float[] f = new float[RANK];
      for (int j = 0; j < RANK; j++) {
        f[j] = i == 4 ? 0f : (float) rnd.nextGaussian();
      }
      items.add(new F("i" + Integer.toString(i * 13 % 29, 36), 0.1f * i, f));
    }
    Path model = writeModel(rows(rnd, 3, false, "u"), items, false);
    int k = 4;
    Path out = tmp.resolve("similar");
    SimilarItemsJob.run(spark, model.toString(), k, null, SPEC, out.toString());
    Map<Object, List<Object>> got = read(out, "item", "similar");
    Map<Object, List<Object>> want = new HashMap<>();
    for (F q : items) {
      if (norm(q) == 0) {
        continue;
      }
      List<F> cand = new ArrayList<>();
      for (F c : items) {
        if (c != q && norm(c) > 0) {
          cand.add(c);
        }
      }
      cand.sort(Comparator.<F>comparingDouble(c -> -cos(q, c)).thenComparing((a, b) -> compareIds(a.id, b.id)));
      List<Object> top = new ArrayList<>();
      cand.stream().limit(k).forEach(c -> top.add(c.id));
      want.put(q.id, top);
    }
    assertThat(got).isEqualTo(want);
    assertThat(got).doesNotContainKey(items.get(4).id);
    got.forEach((q, l) -> assertThat(l).doesNotContain(q, items.get(4).id));
  }

  @Test
  void exportedAlsModelPredictsBlockalsScoresAndNonIntIdsAreRefused() throws IOException {
    Random rnd = new Random(13);
    List<F> users = new ArrayList<>();
    List<F> items = new ArrayList<>();
    for (F r : rows(rnd, 15, true, "")) {
      users.add(new F(((Long) r.id) - 1_000_000_000_000L, r.bias + 0.25f, r.f));
    }
    for (F r : rows(rnd, 11, true, "")) {
      items.add(new F(((Long) r.id) - 1_000_000_000_000L + 3, r.bias - 0.125f, r.f));
    }
    Path model = writeModel(users, items, true);
    Path out = tmp.resolve("mllib");
    ExportJob.run(spark, model.toString(), "mllib", out.toString());
    assertThat(out.resolve(ModelFormat.SUCCESS)).exists();
    ALSModel als = ALSModel.load(out.toString());
    assertThat(als.rank()).isEqualTo(RANK + 2);
    List<Row> pairs = new ArrayList<>();
    for (F u : users) {
      for (F i : items) {
        pairs.add(RowFactory.create(((Long) u.id).intValue(), ((Long) i.id).intValue()));
      }
    }
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    List<Row> predicted = als.setUserCol("user").setItemCol("item")
        .transform(spark.createDataFrame(pairs, schema)).collectAsList();
    assertThat(predicted).hasSize(pairs.size());
    Map<Long, F> byUser = new HashMap<>();
    users.forEach(r -> byUser.put((Long) r.id, r));
    Map<Long, F> byItem = new HashMap<>();
    items.forEach(r -> byItem.put((Long) r.id, r));
    for (Row r : predicted) {
      double want = score(byUser.get((long) r.getInt(0)), byItem.get((long) r.getInt(1)));
      // MLlib sums in float: the tolerance is float rounding of a sum of terms below 10.
      assertThat((double) r.getFloat(2)).isCloseTo(want, within(1e-5));
    }

    // Ids beyond int, and string ids: a usage error naming the reason, nothing written.
    Path big = writeModel("big", rows(rnd, 4, true, "u"), rows(rnd, 4, true, "i"), true);
    assertThatThrownBy(() -> ExportJob.run(spark, big.toString(), "mllib", tmp.resolve("x").toString()))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("outside the int range");
    Path strings = writeModel("strings", rows(rnd, 4, false, "u"), rows(rnd, 4, false, "i"), false);
    assertThatThrownBy(() -> ExportJob.run(spark, strings.toString(), "mllib", tmp.resolve("y").toString()))
        .isInstanceOfSatisfying(BlockalsException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("only takes int ids");
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThat(tmp.resolve("y")).doesNotExist();
  }

  private static double norm(F a) {
    double s = 0;
    for (float v : a.f) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  private static double cos(F a, F b) {
    double d = 0;
    for (int j = 0; j < RANK; j++) {
      d += (double) a.f[j] * b.f[j];
    }
    return d / (norm(a) * norm(b));
  }
}
