package io.blockals.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The ratings one input partition sends to one user block in the first set-up shuffle. Columns as arrays rather than
 * one object per rating, and ids dictionary-encoded per batch: input files repeat ids heavily (a user's ratings are
 * usually together, popular items recur), so each distinct id crosses the shuffle once per batch, as UTF-8 bytes in an
 * {@link IdTable}, and the receiving block hashes table entries rather than every rating's strings.
 */
final class RatingBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Marks a missing timestamp; sorts before every real one. */
  static final long NO_TIMESTAMP = Long.MIN_VALUE;

  final IdTable userTable;
  final int[] userIdx;
  final IdTable itemTable;
  final int[] itemIdx;
  final float[] rating;
  final long[] ts;
  final long[] ord;

  private RatingBatch(IdTable userTable, int[] userIdx, IdTable itemTable, int[] itemIdx, float[] rating,
      long[] ts, long[] ord) {
    this.userTable = userTable;
    this.userIdx = userIdx;
    this.itemTable = itemTable;
    this.itemIdx = itemIdx;
    this.rating = rating;
    this.ts = ts;
    this.ord = ord;
  }

  int size() {
    return rating.length;
  }

  String user(int j) {
    return userTable.string(userIdx[j]);
  }

  String item(int j) {
    return itemTable.string(itemIdx[j]);
  }

  /** How a batch's ids arrive: Java strings, Spark's UTF-8 strings, or numbers from an int or long column. */
  enum Keys {
    STRINGS, UTF8, LONGS
  }

  /** Collects ratings into a batch of at most {@code capacity} ratings. */
  static final class Builder {
    // One pair of indexes, by the form the ids arrive in (see Keys): only the distinct ids of a batch are ever made
    // into strings or bytes.
    private final StringIndex users;
    private final StringIndex items;
    private final Utf8Index users8;
    private final Utf8Index items8;
    private final LongIndex usersL;
    private final LongIndex itemsL;
    private final int[] userIdx;
    private final int[] itemIdx;
    private final float[] rating;
    private final long[] ts;
    private final long[] ord;
    private int size;

    Builder(int capacity) {
      this(capacity, Keys.STRINGS);
    }

    /** Ids are then added with the {@code add} that takes them in the form {@code keys} names. */
    Builder(int capacity, Keys keys) {
      // Input in user order gives a batch few users but thousands of items: sized for that, the item index never
      // grows (growing showed in set-up's profile).
      int fewUsers = Math.min(capacity, 1024);
      users = keys == Keys.STRINGS ? new StringIndex(fewUsers) : null;
      items = keys == Keys.STRINGS ? new StringIndex(capacity) : null;
      users8 = keys == Keys.UTF8 ? new Utf8Index(fewUsers) : null;
      items8 = keys == Keys.UTF8 ? new Utf8Index(capacity) : null;
      usersL = keys == Keys.LONGS ? new LongIndex(fewUsers) : null;
      itemsL = keys == Keys.LONGS ? new LongIndex(capacity) : null;
      userIdx = new int[capacity];
      itemIdx = new int[capacity];
      rating = new float[capacity];
      ts = new long[capacity];
      ord = new long[capacity];
    }

    boolean isFull() {
      return size == rating.length;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(String user, String item, float r, long t, long o) {
      userIdx[size] = users.add(user);
      itemIdx[size] = items.add(item);
      put(r, t, o);
    }

    /** Adds a rating whose ids are read from a Spark row; they are copied only when new to the batch. */
    void add(UTF8String user, UTF8String item, float r, long t, long o) {
      userIdx[size] = users8.add(user);
      itemIdx[size] = items8.add(item);
      put(r, t, o);
    }

    /** Adds a rating whose ids are numbers; each stands for its decimal string. */
    void add(long user, long item, float r, long t, long o) {
      userIdx[size] = usersL.add(user);
      itemIdx[size] = itemsL.add(item);
      put(r, t, o);
    }

    private void put(float r, long t, long o) {
      rating[size] = r;
      ts[size] = t;
      ord[size] = o;
      size++;
    }

    RatingBatch build() {
      IdTable userTable = users != null ? IdTable.of(users.keys()) : users8 != null ? users8.table() : usersL.table();
      IdTable itemTable = items != null ? IdTable.of(items.keys()) : items8 != null ? items8.table() : itemsL.table();
      return new RatingBatch(userTable, Arrays.copyOf(userIdx, size), itemTable, Arrays.copyOf(itemIdx, size),
          Arrays.copyOf(rating, size), Arrays.copyOf(ts, size), Arrays.copyOf(ord, size));
    }
  }

  /**
   * Kryo form: plain arrays and the id tables' bytes, written without Kryo's reference tracking, which showed in set-up's profile
   * at one hash-map entry per id string and buys nothing here (a batch shares no objects).
   */
  static final class KryoSerializer extends Serializer<RatingBatch> {
    @Override
    public void write(Kryo kryo, Output out, RatingBatch b) {
      b.userTable.write(out);
      b.itemTable.write(out);
      out.writeVarInt(b.size(), true);
      out.writeInts(b.userIdx, true);
      out.writeInts(b.itemIdx, true);
      out.writeFloats(b.rating);
      out.writeLongs(b.ts, false);
      out.writeLongs(b.ord, true);
    }

    @Override
    public RatingBatch read(Kryo kryo, Input in, Class<RatingBatch> type) {
      IdTable users = IdTable.read(in);
      IdTable items = IdTable.read(in);
      int n = in.readVarInt(true);
      return new RatingBatch(users, in.readInts(n, true), items, in.readInts(n, true), in.readFloats(n),
          in.readLongs(n, false), in.readLongs(n, true));
    }
  }

  static void writeStrings(Output out, String[] strings) {
    out.writeVarInt(strings.length, true);
    for (String s : strings) {
      out.writeString(s);
    }
  }

  static String[] readStrings(Input in) {
    String[] out = new String[in.readVarInt(true)];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.readString();
    }
    return out;
  }
}
