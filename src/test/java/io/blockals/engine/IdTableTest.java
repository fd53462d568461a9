package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdTableTest {
  private static final long[] EDGES = {0, 1, -1, 9, 10, -9, -10, 99, 100, 999_999_999, 1_000_000_000,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 999_999_999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE,
      Long.MIN_VALUE + 1, -999_999_999_999_999_999L};

  @Test
  void numbersReadAsTheirCanonicalDecimalStringsAndAsThoseBytes() {
    SplittableRandom rnd = new SplittableRandom(11);
    long[] ids = new long[EDGES.length + 1000];
    System.arraycopy(EDGES, 0, ids, 0, EDGES.length);
    for (int i = EDGES.length; i < ids.length; i++) {
      // Every length from 1 to 19 digits, both signs.
      ids[i] = rnd.nextLong() >> rnd.nextInt(64);
    }
    String[] strings = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      strings[i] = Long.toString(ids[i]);
    }
    IdTable numbers = IdTable.ofNumbers(ids);
    assertThat(numbers.size()).isEqualTo(ids.length);
    assertThat(numbers.strings()).containsExactly(strings);
    assertThat(numbers.string(EDGES.length - 3)).isEqualTo("-9223372036854775808");
    IdTable bytes = numbers.asBytes();
    IdTable expected = IdTable.of(strings);
    assertThat(bytes.isNumeric()).isFalse();
    assertThat(bytes.bytes).containsExactly(expected.bytes);
    assertThat(bytes.start).containsExactly(expected.start);
  }

  @Test
  void aByteTableIsItsOwnByteForm() {
    IdTable t = IdTable.of(new String[] {"a", "42"});
    assertThat(t.isNumeric()).isFalse();
    assertThat(t.asBytes()).isSameAs(t);
    assertThat(IdTable.ofNumbers(new long[] {42}).isNumeric()).isTrue();
  }
}
