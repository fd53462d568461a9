package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code similar-items --items}: only the listed items are queried, every item of the model stays a candidate, and
 * the lists equal brute-force cosine in double over all items (the query itself and zero vectors left out, ties by
 * item id). Some items are positive multiples of others, so they have exactly the same cosine with every query: a
 * tie that only the id can break.
 */
class SimilarItemsSubsetIT extends SparkTestBase {
  private static final int RANK = 4;
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec();

  @TempDir
  Path tmp;

  private record Item(String id, float[] f) {}

  private Path writeModel(List<Item> items) throws IOException {
    Path dir = tmp.resolve("model");
    StructType schema = new StructType().add("id", DataTypes.StringType, false)
        .add("bias", DataTypes.FloatType, false).add("features", new ArrayType(DataTypes.FloatType, false), false);
    List<Row> rows = new ArrayList<>();
    for (Item it : items) {
      Float[] boxed = new Float[RANK];
      for (int j = 0; j < RANK; j++) {
        boxed[j] = it.f[j];
      }
      rows.add(RowFactory.create(it.id, 0.25f, boxed));
    }
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(dir.resolve(ModelFormat.ITEM_FACTORS)
        .toString());
    spark.createDataFrame(rows.subList(0, 2), schema).write().parquet(dir.resolve(ModelFormat.USER_FACTORS)
        .toString());
    Files.writeString(dir.resolve(ModelFormat.MODEL_JSON),
        "{\"format_version\": " + ModelFormat.FORMAT_VERSION + ", \"global_mean\": 0}");
    Files.writeString(dir.resolve(ModelFormat.SUCCESS), "");
    return dir;
  }

  private static double cos(float[] a, float[] b) {
    double d = 0;
    double na = 0;
    double nb = 0;
    for (int j = 0; j < RANK; j++) {
      d += (double) a[j] * b[j];
      na += (double) a[j] * a[j];
      nb += (double) b[j] * b[j];
    }
    return d / (Math.sqrt(na) * Math.sqrt(nb));
  }

  private static boolean zero(float[] a) {
    for (float v : a) {
      if (v != 0f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void onlyTheListedItemsAreQueriedAgainstEveryItem() throws IOException {
    Random rnd = new Random(9);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      float[] f = new float[RANK];
      for (int j = 0; j < RANK; j++) {
        f[j] = (float) rnd.nextGaussian();
      }
      items.add(new Item(String.format("it%02d", (i * 17) % 50), f));
    }
    // it40 points where it03 does (twice as long), it41 where it40 does (four times): a three-way exact tie.
    Map<String, Item> byId = new HashMap<>();
    items.forEach(it -> byId.put(it.id, it));
    float[] base = byId.get("it03").f;
    for (int j = 0; j < RANK; j++) {
      byId.get("it40").f[j] = 2 * base[j];
      byId.get("it41").f[j] = 4 * base[j];
    }
    java.util.Arrays.fill(byId.get("it07").f, 0f);
    Path model = writeModel(items);

    // Queried: a few items (one of the tie, the zero vector, one listed twice) and an id the model does not know.
    List<String> asked = List.of("it05", "it40", "it07", "it33", "it05", "nope");
    Path ids = tmp.resolve("items.txt");
    Files.writeString(ids, String.join("\n", asked) + "\n");
    int k = 6;
    Path out = tmp.resolve("similar");
    SimilarItemsJob.run(spark, model.toString(), k, ids.toString(), SPEC, out.toString());

    Map<String, List<String>> got = new HashMap<>();
    for (Row r : spark.read().parquet(out.toString()).orderBy("item", "rank").collectAsList()) {
      List<String> l = got.computeIfAbsent(r.getString(0), x -> new ArrayList<>());
      assertThat(r.getInt(3)).isEqualTo(l.size() + 1);
      l.add(r.getString(1));
    }
    Map<String, List<String>> want = new HashMap<>();
    for (String q : List.of("it05", "it40", "it33")) {
      float[] qf = byId.get(q).f;
      List<Item> cand = new ArrayList<>();
      for (Item c : items) {
        if (!c.id.equals(q) && !zero(c.f)) {
          cand.add(c);
        }
      }
      cand.sort(Comparator.<Item>comparingDouble(c -> -cos(qf, c.f)).thenComparing(Item::id));
      want.put(q, cand.stream().limit(k).map(Item::id).toList());
    }
    assertThat(got).isEqualTo(want);
    // The tie: it40's nearest are its two parallel items at cosine 1, the smaller id first.
    assertThat(got.get("it40").subList(0, 2)).containsExactly("it03", "it41");
  }
}
