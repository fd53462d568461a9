package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.serve.FactorBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The grouping of recommend's seen ratings per user, and how the groups meet the user rows. */
class SeenItemsTest extends SparkTestBase {

  private static Row rating(String user, String item) {
    return RowFactory.create(user, item, 1.0, null, 0L);
  }

  @Test
  void groupsAreSortedDistinctModelPositionsInTheUserRowsPartitions() {
    Object[] ids = {"a", "b", "c", "d"};
    HashMap<String, Integer> positions = SeenItems.positions(ids);
    assertThat(positions).containsEntry("a", 0).containsEntry("d", 3).hasSize(4);
    List<Row> rows = new ArrayList<>();
    // u1: repeats and items out of order; u2: only items the model does not know; u3: one item, in many partitions.
    for (String item : new String[] {"d", "b", "d", "zz", "a", "b"}) {
      rows.add(rating("u1", item));
    }
    rows.add(rating("u2", "zz"));
    rows.add(rating("u2", "yy"));
    for (int i = 0; i < 20; i++) {
      rows.add(rating("u" + (10 + i), "c"));
      rows.add(rating("u3", "c"));
    }
    HashPartitioner p = new HashPartitioner(3);
    Broadcast<HashMap<String, Integer>> b = jsc.broadcast(positions);
    JavaPairRDD<String, int[]> seen = SeenItems.byUser(jsc.parallelize(rows, 4), b, p);
    assertThat(seen.partitioner().isPresent()).isTrue();
    assertThat(seen.partitioner().get()).isEqualTo(p);
    // Each group as "partition user positions": strings are what a registration-checked session ships back freely.
    List<String> lines = seen.mapPartitionsWithIndex((part, it) -> {
      List<String> out = new ArrayList<>();
      it.forEachRemaining(t -> out.add(part + " " + t._1 + " " + Arrays.toString(t._2)));
      return out.iterator();
    }, true).collect();
    Map<String, String> got = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ", 3);
      assertThat(p.getPartition(f[1])).as("partition of %s", f[1]).isEqualTo(Integer.parseInt(f[0]));
      assertThat(got.put(f[1], f[2])).as("one group for %s", f[1]).isNull();
    }
    assertThat(got.get("u1")).isEqualTo("[0, 1, 3]");
    assertThat(got).doesNotContainKey("u2");
    assertThat(got.get("u3")).isEqualTo("[2]");
    assertThat(got.get("u15")).isEqualTo("[2]");
    assertThat(got).hasSize(22);
    b.destroy();
  }

  @Test
  void unionIsSortedAndDistinct() {
    assertThat(SeenItems.union(null, null)).isNull();
    assertThat(SeenItems.union(new int[] {1, 4}, null)).containsExactly(1, 4);
    assertThat(SeenItems.union(null, new int[] {2})).containsExactly(2);
    assertThat(SeenItems.union(new int[] {1, 4, 7}, new int[] {0, 4, 9})).containsExactly(0, 1, 4, 7, 9);
  }

  @Test
  void queryBlocksJoinEachUserWithItsGroupAndDropGroupsWithoutAUser() {
    List<Tuple2<String, RecommendJob.QueryUser>> users = new ArrayList<>();
    int n = ServeBlocks.USER_BLOCK + 3;
    for (int u = 0; u < n; u++) {
      int[] own = u == 1 ? new int[] {5, 8} : null;
      users.add(new Tuple2<>("u" + u, new RecommendJob.QueryUser((long) u, u, new float[] {u, -u}, own)));
    }
    List<Tuple2<String, int[]>> groups = List.of(new Tuple2<>("u0", new int[] {2, 3}),
        new Tuple2<>("u1", new int[] {3, 8}), new Tuple2<>("nobody", new int[] {1}));
    Iterator<FactorBlock> it = RecommendJob.queryBlocks(users.iterator(), groups.iterator());
    FactorBlock first = it.next();
    FactorBlock second = it.next();
    assertThat(it.hasNext()).isFalse();
    assertThat(first.rows()).isEqualTo(ServeBlocks.USER_BLOCK);
    assertThat(second.rows()).isEqualTo(3);
    assertThat(first.keys()[1]).isEqualTo(1L);
    assertThat(first.rank()).isEqualTo(2);
    assertThat(first.features()[2]).isEqualTo(1f);
    assertThat(first.bias()[1]).isEqualTo(1f);
    assertThat(first.seen()[0]).containsExactly(2, 3);
    assertThat(first.seen()[1]).containsExactly(3, 5, 8);
    assertThat(first.seen()[2]).isNull();
    assertThat(second.keys()[2]).isEqualTo((long) n - 1);
  }
}
