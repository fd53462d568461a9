package io.blockals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLlib program of the whole-process benchmark, run as its main on a small CSV with string ids: it indexes the
 * ids, fits ALS with the given rank and writes one factor row per distinct user and item. It makes and stops its
 * own session, as under SparkSubmit, so this class shares none.
 */
class MllibProgramIT {
  @TempDir
  Path tmp;

  @Test
  void writesOneFactorRowOfTheGivenRankPerDistinctUserAndItem() throws Exception {
    StringBuilder csv = new StringBuilder("user,item,rating,timestamp\n");
    java.util.Random rnd = new java.util.Random(3);
    java.util.Set<String> users = new java.util.TreeSet<>();
    java.util.Set<String> items = new java.util.TreeSet<>();
    for (int u = 0; u < 12; u++) {
      for (int i = 0; i < 9; i++) {
        if ((u + i) % 3 != 0) {
          csv.append("user_").append(u).append(",it:").append(i).append(',')
              .append(1 + rnd.nextInt(5)).append(",0\n");
          users.add("user_" + u);
          items.add("it:" + i);
        }
      }
    }
    Path input = Files.writeString(tmp.resolve("ratings.csv"), csv);
    Path out = tmp.resolve("out");
    String[] keys = {"spark.master", "spark.ui.enabled", "spark.driver.host", "spark.sql.shuffle.partitions"};
    String[] values = {"local[2]", "false", "127.0.0.1", "4"};
    for (int k = 0; k < keys.length; k++) {
      System.setProperty(keys[k], values[k]);
    }
    try {
      MllibProgram.main(new String[] {input.toString(), out.toString(), "4", "3", "0.1"});
    } finally {
      for (String k : keys) {
        System.clearProperty(k);
      }
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("read-back")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      List<Row> u = spark.read().parquet(out.resolve("user_factors").toString()).collectAsList();
      List<Row> i = spark.read().parquet(out.resolve("item_factors").toString()).collectAsList();
      // StringIndexer's indices 0..n-1, one row each, rank 4
      assertThat(u).extracting(r -> r.getInt(0)).containsExactlyInAnyOrderElementsOf(range(users.size()));
      assertThat(i).extracting(r -> r.getInt(0)).containsExactlyInAnyOrderElementsOf(range(items.size()));
      assertThat(u).allSatisfy(r -> assertThat(r.getList(1)).hasSize(4));
      assertThat(i).allSatisfy(r -> assertThat(r.getList(1)).hasSize(4));
    } finally {
      spark.stop();
    }
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }
}
