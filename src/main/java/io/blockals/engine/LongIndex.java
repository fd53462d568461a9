package io.blockals.engine;

import java.util.Arrays;

/**
 * Dense codes, in order of first appearance, for ids read from integer columns: the batching of set-up when the input
 * has int or long user and item ids. A probe is one multiply and a comparison of two longs, where a string id costs a
 * decode from Spark's cache, a byte hash and a byte comparison. The ids travel as numbers ({@link IdTable#ofNumbers})
 * and a user block indexes them as numbers too; only the distinct ids of a block become strings (their canonical
 * decimal forms), so everything after set-up is as for string ids.
 */
final class LongIndex {
  private long[] keys;
  private int[] slots;
  private int size;
  private int mask;
  private int last = -1;

  LongIndex(int expected) {
    int keyCount = Math.max(4, expected);
    int cap = Integer.highestOneBit(keyCount * 2 - 1) << 1;
    slots = new int[cap];
    mask = cap - 1;
    keys = new long[keyCount];
  }

  int size() {
    return size;
  }

  /** The code of {@code key}, adding it if new. A run of one key (a user's ratings) is answered from the last. */
  int add(long key) {
    if (last >= 0 && keys[last] == key) {
      return last;
    }
    int i = slot(key);
    while (true) {
      int code = slots[i] - 1;
      if (code < 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = key;
        slots[i] = ++size;
        if (size * 2 > slots.length) {
          rehash();
        }
        last = size - 1;
        return last;
      }
      if (keys[code] == key) {
        last = code;
        return code;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds every id of a numeric {@code table}; returns the code of each. */
  int[] addAll(IdTable table) {
    long[] ids = table.numbers;
    int[] codes = new int[ids.length];
    for (int t = 0; t < ids.length; t++) {
      codes[t] = add(ids[t]);
    }
    return codes;
  }

  /** The keys by code, as they travel. */
  IdTable table() {
    return IdTable.ofNumbers(Arrays.copyOf(keys, size));
  }

  /** The keys by code, as their decimal strings. */
  String[] strings() {
    String[] out = new String[size];
    for (int c = 0; c < size; c++) {
      out[c] = Long.toString(keys[c]);
    }
    return out;
  }

  private int slot(long key) {
    return (int) BlockHash.mix64(key) & mask;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    mask = slots.length - 1;
    for (int c = 0; c < size; c++) {
      int i = slot(keys[c]);
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = c + 1;
    }
  }
}
