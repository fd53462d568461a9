package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringIndexTest {

  @Test
  void codesFollowFirstAppearanceAndRepeatsKeepTheirCode() {
    StringIndex idx = new StringIndex(2);
    assertThat(idx.add("b")).isZero();
    assertThat(idx.add("a")).isEqualTo(1);
    assertThat(idx.add("b")).isZero();
    assertThat(idx.add("a")).isEqualTo(1);
    assertThat(idx.size()).as("repeats add nothing").isEqualTo(2);
    assertThat(idx.keys()).containsExactly("b", "a");
    assertThat(idx.add("zzz")).isEqualTo(2);
  }

  @Test
  void equalHashCodesAreStillDistinctKeys() {
    // "Aa" and "BB" have the same String.hashCode (2112), as do all their concatenations.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    String[] same = {"AaAa", "AaBB", "BBAa", "BBBB"};
    StringIndex idx = new StringIndex(1);
    for (String s : same) {
      idx.add(s);
    }
    for (int c = 0; c < same.length; c++) {
      assertThat(idx.add(same[c])).isEqualTo(c);
    }
    assertThat(idx.size()).isEqualTo(same.length);
  }

  @Test
  void growsPastItsExpectedSize() {
    StringIndex idx = new StringIndex(4);
    for (int i = 0; i < 100_000; i++) {
      assertThat(idx.add("u_" + Integer.toHexString(i))).isEqualTo(i);
    }
    assertThat(idx.size()).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i += 997) {
      assertThat(idx.add("u_" + Integer.toHexString(i))).isEqualTo(i);
    }
    assertThat(idx.size()).as("found again, not added").isEqualTo(100_000);
  }
}
