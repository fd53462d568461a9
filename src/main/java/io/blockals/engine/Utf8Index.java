package io.blockals.engine;

import java.util.Arrays;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Dense codes, in order of first appearance, for ids given as UTF-8 bytes: Spark's internal strings at the source of
 * the first set-up shuffle, and the {@link IdTable}s of the batches a user block receives. Only the distinct ids ever
 * become Java strings.
 *
 * <p>The keys live in one byte array with their hashes beside them, so a probe compares a stored int and, on a match,
 * bytes from that one array. A {@code UTF8String} copy per key would make every probe follow two pointers to a small
 * array of its own; in a JFR profile of set-up at 3M ratings that comparison was 40% of the batching stage. A run of one key, as a user's ratings usually come, is answered by comparing with the last key.
 */
final class Utf8Index {
  /** The most bytes of keys one index holds (the largest Java array, with a margin). */
  static final int MAX_BYTES = Integer.MAX_VALUE - 16;

  private byte[] bytes;
  private int used;
  /** Key {@code c} is {@code bytes[start[c] .. start[c + 1])}. */
  private int[] start;
  private int[] hashes;
  private int[] slots;
  private int size;
  private int mask;
  private int last = -1;

  Utf8Index(int expected) {
    int keys = Math.max(4, expected);
    int cap = Integer.highestOneBit(keys * 2 - 1) << 1;
    slots = new int[cap];
    mask = cap - 1;
    start = new int[keys + 1];
    hashes = new int[keys];
    bytes = new byte[keys * 12];
  }

  int size() {
    return size;
  }

  /** The code of {@code s}, adding a copy of its bytes if new (Spark reuses the row it came from). */
  int add(UTF8String s) {
    return add(s.getBaseObject(), s.getBaseOffset(), s.numBytes());
  }

  /** The code of the {@code len} bytes at {@code base}/{@code offset} (as {@link Platform} addresses them). */
  int add(Object base, long offset, int len) {
    if (last >= 0 && same(last, base, offset, len)) {
      return last;
    }
    int h = hash(base, offset, len);
    int i = h & mask;
    while (true) {
      int code = slots[i] - 1;
      if (code < 0) {
        return insert(i, h, base, offset, len);
      }
      if (hashes[code] == h && same(code, base, offset, len)) {
        last = code;
        return code;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds every id of {@code table}; returns the code of each. */
  int[] addAll(IdTable table) {
    int[] codes = new int[table.size()];
    for (int t = 0; t < codes.length; t++) {
      int from = table.start[t];
      codes[t] = add(table.bytes, Platform.BYTE_ARRAY_OFFSET + from, table.start[t + 1] - from);
    }
    return codes;
  }

  /** The keys by code, as they travel. */
  IdTable table() {
    return new IdTable(Arrays.copyOf(bytes, used), Arrays.copyOf(start, size + 1));
  }

  /** The keys by code, as Java strings. */
  String[] strings() {
    return table().strings();
  }

  private int insert(int slot, int h, Object base, long offset, int len) {
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, size * 2);
      start = Arrays.copyOf(start, size * 2 + 1);
    }
    if (len > bytes.length - used) {
      long need = (long) used + len;
      if (need > MAX_BYTES) {
        // The copy below writes through Unsafe: never past the array.
        throw new IllegalStateException("the distinct ids of one block exceed " + MAX_BYTES
            + " bytes of UTF-8; use more blocks");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_BYTES, Math.max(2L * bytes.length, need)));
    }
    Platform.copyMemory(base, offset, bytes, Platform.BYTE_ARRAY_OFFSET + used, len);
    used += len;
    hashes[size] = h;
    start[size + 1] = used;
    slots[slot] = ++size;
    if (size * 2 > slots.length) {
      rehash();
    }
    last = size - 1;
    return last;
  }

  private boolean same(int code, Object base, long offset, int len) {
    int from = start[code];
    if (start[code + 1] - from != len) {
      return false;
    }
    long at = Platform.BYTE_ARRAY_OFFSET + from;
    int i = 0;
    for (; i <= len - 8; i += 8) {
      if (Platform.getLong(bytes, at + i) != Platform.getLong(base, offset + i)) {
        return false;
      }
    }
    for (; i < len; i++) {
      if (Platform.getByte(bytes, at + i) != Platform.getByte(base, offset + i)) {
        return false;
      }
    }
    return true;
  }

  /** Eight bytes at a time, then a full 64-bit mix: ids from a small alphabet still spread over the slots. */
  static int hash(Object base, long offset, int len) {
    long h = len * 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i <= len - 8; i += 8) {
      h = (h ^ Platform.getLong(base, offset + i)) * 0xBF58476D1CE4E5B9L;
    }
    long tail = 0;
    for (int shift = 0; i < len; i++, shift += 8) {
      tail |= (Platform.getByte(base, offset + i) & 0xFFL) << shift;
    }
    return (int) BlockHash.mix64(h ^ tail);
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    mask = slots.length - 1;
    for (int c = 0; c < size; c++) {
      int i = hashes[c] & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = c + 1;
    }
  }
}
