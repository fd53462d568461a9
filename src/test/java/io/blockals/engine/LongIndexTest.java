package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIndexTest {
  @Test
  void codesAreDenseInOrderOfFirstAppearanceAndStable() {
    LongIndex index = new LongIndex(2);
    long[] keys = {42, -1, 42, 0, Long.MIN_VALUE, Long.MAX_VALUE, -1, 7, 7, 0};
    int[] expected = {0, 1, 0, 2, 3, 4, 1, 5, 5, 2};
    for (int j = 0; j < keys.length; j++) {
      assertThat(index.add(keys[j])).as("key " + keys[j]).isEqualTo(expected[j]);
    }
    assertThat(index.size()).isEqualTo(6);
    assertThat(index.table().numbers).containsExactly(42, -1, 0, Long.MIN_VALUE, Long.MAX_VALUE, 7);
    assertThat(index.strings()).containsExactly("42", "-1", "0", "-9223372036854775808", "9223372036854775807", "7");
  }

  @Test
  void agreesWithAHashMapThroughManyGrowthsAndKeysThatShareLowBits() {
    // Keys that differ only in high bits all land in one slot without the mix; the index must still tell them apart.
    LongIndex index = new LongIndex(1);
    Map<Long, Integer> oracle = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int j = 0; j < 100_000; j++) {
      long key = j % 3 == 0 ? ((long) rnd.nextInt(5000) << 40) : rnd.nextLong(20_000) - 10_000;
      Integer want = oracle.putIfAbsent(key, oracle.size());
      assertThat(index.add(key)).isEqualTo(want == null ? oracle.size() - 1 : want);
    }
    assertThat(index.size()).isEqualTo(oracle.size());
    long[] table = index.table().numbers;
    for (Map.Entry<Long, Integer> e : oracle.entrySet()) {
      assertThat(table[e.getValue()]).isEqualTo(e.getKey());
    }
  }

  @Test
  void addAllGivesTheCodesOfANumericTable() {
    LongIndex index = new LongIndex(4);
    index.add(9);
    int[] codes = index.addAll(IdTable.ofNumbers(new long[] {3, 9, 3, -3}));
    assertThat(codes).containsExactly(1, 0, 1, 2);
  }
}
