package io.blockals.generate;

/**
 * External ids for dense indexes, computed on demand (no per-id objects are kept): a keyed bijection scrambles the
 * index, so ids are distinct by construction, deterministic from the seed and neither contiguous nor in index order.
 *
 * <p>String ids look like {@code u_3f9a1c}; about one in eight gets a '-' after its second hex digit
 * ({@code u_3f-9a1c}) so that readers see ids that are not plain alphanumerics. Ids of different length cannot
 * collide, and ids of equal length differ in their hex part, so distinctness survives the dash. Long ids are the
 * scrambled index in a 40-bit space plus 10^12: beyond the int range, so a reader that squeezes ids into an int fails.
 */
final class IdCodec {
  static final long LONG_ID_OFFSET = 1_000_000_000_000L;
  private static final int LONG_ID_BITS = 40;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final boolean strings;
  private final String prefix;
  private final int bits;
  private final int hexDigits;
  private final long mask;
  private final long[] multipliers = new long[3];
  private final long[] addends = new long[3];
  private final long dashKey;

  IdCodec(boolean strings, String prefix, int count, long key) {
    this.strings = strings;
    this.prefix = prefix;
    if (strings) {
      // At least 16 times as many codes as ids, so the ids are sparse in their space.
      int digits = 1;
      while (digits < 15 && (1L << (4 * digits)) < count) {
        digits++;
      }
      hexDigits = Math.max(6, digits + 1);
      bits = 4 * hexDigits;
    } else {
      hexDigits = 0;
      bits = LONG_ID_BITS;
    }
    mask = (1L << bits) - 1;
    SplitMix64 rng = new SplitMix64(key);
    for (int r = 0; r < 3; r++) {
      multipliers[r] = rng.nextLong() | 1L;
      addends[r] = rng.nextLong();
    }
    dashKey = rng.nextLong();
  }

  boolean isString() {
    return strings;
  }

  /** A bijection of [0, 2^bits): multiplying by an odd number, xor with a right shift and adding are invertible. */
  private long scramble(long x) {
    int shift = bits / 2;
    for (int r = 0; r < 3; r++) {
      x = (x * multipliers[r]) & mask;
      x ^= x >>> shift;
      x = (x + addends[r]) & mask;
    }
    return x;
  }

  long longId(int index) {
    if (strings) {
      throw new IllegalStateException("these ids are strings; use id(int)");
    }
    return LONG_ID_OFFSET + scramble(index);
  }

  String id(int index) {
    if (!strings) {
      return Long.toString(longId(index));
    }
    long code = scramble(index);
    boolean dash = (SplitMix64.mix64(dashKey + index) & 7) == 0;
    char[] out = new char[prefix.length() + hexDigits + (dash ? 1 : 0)];
    int pos = 0;
    for (int c = 0; c < prefix.length(); c++) {
      out[pos++] = prefix.charAt(c);
    }
    for (int d = hexDigits - 1; d >= 0; d--) {
      out[pos++] = HEX[(int) ((code >>> (4 * d)) & 0xF)];
      if (dash && d == hexDigits - 2) {
        out[pos++] = '-';
      }
    }
    return new String(out);
  }
}
