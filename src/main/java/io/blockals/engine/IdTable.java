package io.blockals.engine;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The distinct ids of one batch as they cross the first set-up shuffle: their UTF-8 bytes end to end in one array, or,
 * for ids read from integer columns, the numbers themselves (each standing for its decimal string). The receiving
 * block indexes the table ({@link Utf8Index#addAll}, {@link LongIndex#addAll}) and makes Java strings only of the ids
 * that are new to it, once, instead of once per batch that mentions them.
 */
final class IdTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Id {@code i} is {@code bytes[start[i] .. start[i + 1])}; both null when the ids are numbers. */
  final byte[] bytes;
  final int[] start;
  /** The ids as numbers, or null when they are bytes. */
  final long[] numbers;

  IdTable(byte[] bytes, int[] start) {
    this.bytes = bytes;
    this.start = start;
    this.numbers = null;
  }

  private IdTable(long[] numbers) {
    this.bytes = null;
    this.start = null;
    this.numbers = numbers;
  }

  /** A table of numeric ids, {@code Long.toString(numbers[i])} being id {@code i}'s string. */
  static IdTable ofNumbers(long[] numbers) {
    return new IdTable(numbers);
  }

  boolean isNumeric() {
    return numbers != null;
  }

  /** This table with its ids as UTF-8 bytes (numbers as their decimal forms). */
  IdTable asBytes() {
    return numbers == null ? this : of(strings());
  }

  /** The table of {@code ids}, in that order. */
  static IdTable of(String[] ids) {
    byte[][] enc = new byte[ids.length][];
    int[] start = new int[ids.length + 1];
    for (int i = 0; i < ids.length; i++) {
      enc[i] = ids[i].getBytes(StandardCharsets.UTF_8);
      start[i + 1] = start[i] + enc[i].length;
    }
    byte[] bytes = new byte[start[ids.length]];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(enc[i], 0, bytes, start[i], enc[i].length);
    }
    return new IdTable(bytes, start);
  }

  int size() {
    return numbers != null ? numbers.length : start.length - 1;
  }

  String string(int i) {
    if (numbers != null) {
      return Long.toString(numbers[i]);
    }
    return new String(bytes, start[i], start[i + 1] - start[i], StandardCharsets.UTF_8);
  }

  String[] strings() {
    String[] out = new String[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = string(i);
    }
    return out;
  }

  /** Kryo form: a flag, then the numbers (variable-length), or the count, each id's length and the bytes in one piece. */
  void write(Output out) {
    out.writeBoolean(numbers != null);
    if (numbers != null) {
      out.writeVarInt(numbers.length, true);
      out.writeLongs(numbers, false);
      return;
    }
    int n = size();
    out.writeVarInt(n, true);
    for (int i = 0; i < n; i++) {
      out.writeVarInt(start[i + 1] - start[i], true);
    }
    out.writeBytes(bytes, 0, start[n]);
  }

  static IdTable read(Input in) {
    if (in.readBoolean()) {
      int n = in.readVarInt(true);
      return new IdTable(in.readLongs(n, false));
    }
    int n = in.readVarInt(true);
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + in.readVarInt(true);
    }
    return new IdTable(in.readBytes(start[n]), start);
  }
}
