package io.blockals.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;

/**
 * The de-duplicated ratings of one user block that belong to one item block (second set-up shuffle). Item ids are
 * sent once per batch in {@code itemTable} and referenced by index.
 */
final class ItemBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  final int userBlock;
  final int[] userLocal;
  final String[] itemTable;
  final int[] itemIndex;
  final float[] rating;

  ItemBatch(int userBlock, int[] userLocal, String[] itemTable, int[] itemIndex, float[] rating) {
    this.userBlock = userBlock;
    this.userLocal = userLocal;
    this.itemTable = itemTable;
    this.itemIndex = itemIndex;
    this.rating = rating;
  }

  /** Kryo form: arrays and strings without reference tracking, as {@link RatingBatch.KryoSerializer}. */
  static final class KryoSerializer extends Serializer<ItemBatch> {
    @Override
    public void write(Kryo kryo, Output out, ItemBatch b) {
      out.writeVarInt(b.userBlock, true);
      RatingBatch.writeStrings(out, b.itemTable);
      out.writeVarInt(b.rating.length, true);
      out.writeInts(b.userLocal, true);
      out.writeInts(b.itemIndex, true);
      out.writeFloats(b.rating);
    }

    @Override
    public ItemBatch read(Kryo kryo, Input in, Class<ItemBatch> type) {
      int userBlock = in.readVarInt(true);
      String[] items = RatingBatch.readStrings(in);
      int n = in.readVarInt(true);
      return new ItemBatch(userBlock, in.readInts(n, true), items, in.readInts(n, true), in.readFloats(n));
    }
  }
}
