package io.blockals.engine;

import java.util.Arrays;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@link StringIndex} for ids read from Spark's internal rows: dense codes in order of first appearance for UTF-8
 * strings, so a batch turns only its distinct ids into Java strings. A key is copied when it is added (the row it
 * came from is reused by Spark for the next one), and a run of one key, as a user's ratings usually come, is
 * answered by one comparison with the last key instead of a hash look-up.
 */
final class Utf8Index {
  private UTF8String[] keys;
  private int[] slots;
  private int size;
  private int mask;
  private int last = -1;

  Utf8Index(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    slots = new int[cap];
    mask = cap - 1;
    keys = new UTF8String[Math.max(4, expected)];
  }

  int size() {
    return size;
  }

  /** The code of {@code s}, adding a copy of it if new. */
  int add(UTF8String s) {
    if (last >= 0 && keys[last].equals(s)) {
      return last;
    }
    int i = (int) BlockHash.mix64(s.hashCode()) & mask;
    while (true) {
      int code = slots[i] - 1;
      if (code < 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = s.copy();
        slots[i] = ++size;
        if (size * 2 > slots.length) {
          rehash();
        }
        last = size - 1;
        return last;
      }
      if (keys[code].equals(s)) {
        last = code;
        return code;
      }
      i = (i + 1) & mask;
    }
  }

  /** The keys by code, as Java strings. */
  String[] strings() {
    String[] out = new String[size];
    for (int c = 0; c < size; c++) {
      out[c] = keys[c].toString();
    }
    return out;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    mask = slots.length - 1;
    for (int c = 0; c < size; c++) {
      int i = (int) BlockHash.mix64(keys[c].hashCode()) & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = c + 1;
    }
  }
}
