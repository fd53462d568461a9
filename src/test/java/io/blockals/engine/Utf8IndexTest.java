package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
