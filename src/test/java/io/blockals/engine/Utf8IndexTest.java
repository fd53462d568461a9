package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class Utf8IndexTest {

  @Test
  void codesFollowFirstAppearanceAndRunsKeepTheirCode() {
    Utf8Index idx = new Utf8Index(2);
    assertThat(idx.add(UTF8String.fromString("b"))).isZero();
    assertThat(idx.add(UTF8String.fromString("b"))).isZero();
    assertThat(idx.add(UTF8String.fromString("日本"))).isEqualTo(1);
    assertThat(idx.add(UTF8String.fromString("b"))).isZero();
    assertThat(idx.add(UTF8String.fromString(""))).isEqualTo(2);
    assertThat(idx.strings()).containsExactly("b", "日本", "");
  }

  @Test
  void keysAreCopiedSoAReusedRowBufferCannotChangeThem() {
    // Spark reuses a row's buffer for the next row: the index must own its keys.
    byte[] buffer = "u1".getBytes(StandardCharsets.UTF_8);
    Utf8Index idx = new Utf8Index(4);
    assertThat(idx.add(UTF8String.fromBytes(buffer))).isZero();
    buffer[1] = '2';
    assertThat(idx.add(UTF8String.fromBytes(buffer))).as("u2 is new").isEqualTo(1);
    buffer[1] = '1';
    assertThat(idx.add(UTF8String.fromBytes(buffer))).as("u1 again").isZero();
    assertThat(idx.strings()).containsExactly("u1", "u2");
  }

  @Test
  void growsPastItsExpectedSizeAndFindsEveryKeyAgain() {
    Utf8Index idx = new Utf8Index(4);
    for (int i = 0; i < 50_000; i++) {
      assertThat(idx.add(UTF8String.fromString("i_" + Integer.toHexString(i)))).isEqualTo(i);
    }
    for (int i = 0; i < 50_000; i += 991) {
      assertThat(idx.add(UTF8String.fromString("i_" + Integer.toHexString(i)))).isEqualTo(i);
    }
    assertThat(idx.size()).isEqualTo(50_000);
  }

  @Test
  void keysThatDifferInOneByteAtAnyPositionAreDistinct() {
    // Lengths across the 8-byte words the comparison and the hash read, and a byte changed in each position: a
    // comparison that skipped the tail or a word would merge two of them.
    Utf8Index idx = new Utf8Index(4);
    List<byte[]> keys = new ArrayList<>();
    for (int len = 0; len <= 19; len++) {
      byte[] base = new byte[len];
      java.util.Arrays.fill(base, (byte) 'a');
      keys.add(base);
      for (int at = 0; at < len; at++) {
        byte[] k = base.clone();
        k[at] = (byte) 0xC3;
        keys.add(k);
      }
    }
    for (int c = 0; c < keys.size(); c++) {
      assertThat(idx.add(UTF8String.fromBytes(keys.get(c)))).isEqualTo(c);
    }
    for (int c = keys.size() - 1; c >= 0; c--) {
      assertThat(idx.add(UTF8String.fromBytes(keys.get(c).clone()))).isEqualTo(c);
    }
    assertThat(idx.size()).isEqualTo(keys.size());
  }

  @Test
  void aTableOfIdsIsAddedEntryByEntryAndComesBackInCodeOrder() {
    Utf8Index idx = new Utf8Index(2);
    idx.add(UTF8String.fromString("x"));
    IdTable t = IdTable.of(new String[] {"日本", "x", "", "yy"});
    assertThat(t.strings()).containsExactly("日本", "x", "", "yy");
    assertThat(idx.addAll(t)).containsExactly(1, 0, 2, 3);
    IdTable back = idx.table();
    assertThat(back.strings()).containsExactly("x", "日本", "", "yy");
    assertThat(back.size()).isEqualTo(4);
    assertThat(idx.addAll(back)).containsExactly(0, 1, 2, 3);
  }
}
