package io.blockals.data;

/**
 * The {@code ord} position key: {@code fileIndex << 40 | position}, where position is the byte offset of a
 * text line (of the uncompressed text for compressed files) or the row index in a Parquet file. It depends
 * only on the sorted file list and the file contents, never on how Spark splits the input.
 */
final class Ords {
  static final int POSITION_BITS = 40;
  static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
  /** File indexes must leave the sign bit alone so that ord order is file order. */
  static final int MAX_FILES = 1 << (63 - POSITION_BITS);

  private Ords() {}

  static long of(int fileIndex, long position) {
    if (position < 0 || position > POSITION_MASK) {
      throw new IllegalArgumentException("position " + position + " does not fit in " + POSITION_BITS + " bits");
    }
    return ((long) fileIndex << POSITION_BITS) | position;
  }

  static int file(long ord) {
    return (int) (ord >>> POSITION_BITS);
  }

  static long position(long ord) {
    return ord & POSITION_MASK;
  }
}
