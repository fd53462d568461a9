package io.blockals.engine;

import java.util.Arrays;

/**
 * Gives each distinct string a dense code in order of first appearance: an open-addressing hash table of int slots.
 *
 * <p>Why not {@code HashMap<String, Integer>}: ids are often drawn from a small alphabet ("u_3f9a1c", "user_10423"),
 * and {@link String#hashCode()} then varies little in its low bits, which HashMap uses for its buckets; in a JFR
 * profile of set-up at 2.7M ratings, lookups in treeified HashMap bins were the largest single cost of batching.
 * Here the (cached) String hash goes through a full 64-bit mix first, and nothing is boxed.
 */
final class StringIndex {
  private String[] keys;
  private int[] slots;
  private int size;
  private int mask;

  StringIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    slots = new int[cap];
    mask = cap - 1;
    keys = new String[Math.max(4, expected)];
  }

  int size() {
    return size;
  }

  /** The code of {@code s}, adding it if new. */
  int add(String s) {
    int i = slot(s);
    while (true) {
      int code = slots[i] - 1;
      if (code < 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size] = s;
        slots[i] = ++size;
        if (size * 2 > slots.length) {
          rehash();
        }
        return size - 1;
      }
      if (keys[code].equals(s)) {
        return code;
      }
      i = (i + 1) & mask;
    }
  }

  /** The strings by code. */
  String[] keys() {
    return Arrays.copyOf(keys, size);
  }

  private int slot(String s) {
    return (int) BlockHash.mix64(s.hashCode()) & mask;
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
