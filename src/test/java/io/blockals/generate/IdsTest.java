package io.blockals.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final GeneratorSpec SPEC = GeneratorSpec.defaults().withSize(5000, 3000, 30_000);

  @Test
  void stringIdsAreDistinctAndFreeOfDelimitersAndQuotes() {
    PlantedData d = SyntheticGenerator.generate(SPEC.withStringIds(true));
    Set<String> seen = new HashSet<>();
    int withDash = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      String id = d.userId(u);
      assertThat(id).matches("u_[0-9a-f]{2}-?[0-9a-f]{4}");
      withDash += id.indexOf('-') >= 0 ? 1 : 0;
      seen.add(id);
    }
    for (int i = 0; i < d.numItems(); i++) {
      String id = d.itemId(i);
      assertThat(id).matches("i_[0-9a-f]{2}-?[0-9a-f]{4}");
      seen.add(id);
    }
    assertThat(seen).hasSize(d.numUsers() + d.numItems());
    assertThat(seen).allSatisfy(id -> assertThat(id).doesNotContain(",", "\"", "\t", "::", " ", ";", "|"));
    // About one in eight carries a '-'.
    assertThat(withDash).isBetween(d.numUsers() / 16, d.numUsers() / 4);
  }

  @Test
  void stringIdsGrowWhenThereAreManyIndexes() {
    IdCodec codec = new IdCodec(true, "u_", 5_000_000, 99L);
    Set<String> seen = new HashSet<>();
    for (int u = 0; u < 200_000; u++) {
      seen.add(codec.id(u));
    }
    assertThat(seen).hasSize(200_000);
    // 5M ids need 6 hex digits; one more keeps the space 16 times larger than the ids.
    assertThat(codec.id(0).replace("-", "")).hasSize(2 + 7);
  }

  @Test
  void longIdsAreDistinctScatteredAndBeyondTheIntRange() {
    PlantedData d = SyntheticGenerator.generate(SPEC.withStringIds(false));
    long[] ids = new long[d.numUsers()];
    for (int u = 0; u < ids.length; u++) {
      ids[u] = d.userLongId(u);
      assertThat(Long.parseLong(d.userId(u))).isEqualTo(ids[u]);
      assertThat(ids[u]).isGreaterThan(Integer.MAX_VALUE);
    }
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    int adjacent = 0;
    for (int k = 1; k < sorted.length; k++) {
      assertThat(sorted[k]).isNotEqualTo(sorted[k - 1]);
      adjacent += sorted[k] - sorted[k - 1] == 1 ? 1 : 0;
    }
    assertThat(adjacent).isLessThan(sorted.length / 100);
    assertThat(ids).isNotEqualTo(sorted);
    Set<Long> items = new HashSet<>();
    for (int i = 0; i < d.numItems(); i++) {
      items.add(d.itemLongId(i));
    }
    assertThat(items).hasSize(d.numItems());
  }

  @Test
  void idsDependOnTheSeed() {
    PlantedData a = SyntheticGenerator.generate(SPEC);
    PlantedData b = SyntheticGenerator.generate(SPEC.withSeed(7));
    int same = 0;
    for (int u = 0; u < a.numUsers(); u++) {
      same += a.userId(u).equals(b.userId(u)) ? 1 : 0;
    }
    assertThat(same).isLessThan(10);
  }

  @Test
  void longIdOfStringIdsIsRefused() {
    PlantedData d = SyntheticGenerator.generate(SPEC.withStringIds(true).withSize(10, 10, 50).withMinPerUser(1));
    assertThatThrownBy(() -> d.userLongId(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> d.userId(10)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
