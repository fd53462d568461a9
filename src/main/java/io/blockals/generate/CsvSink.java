package io.blockals.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Formats rating rows straight into a byte buffer: String.format and Float.toString per value would dominate the
 * time of writing ten million rows, and fixed formatting makes the files independent of the locale.
 */
final class CsvSink implements AutoCloseable {
  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L};

  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private final byte[] digits = new byte[20];
  private int pos;

  CsvSink(OutputStream out) {
    this.out = out;
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  void bytes(byte[] b) throws IOException {
    if (b.length > buf.length) {
      flushBuffer();
      out.write(b);
      return;
    }
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  void ascii(String s) throws IOException {
    bytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  void separator(char c) throws IOException {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  /** A long in decimal. */
  void longValue(long v) throws IOException {
    ensure(21);
    if (v < 0) {
      buf[pos++] = '-';
      if (v == Long.MIN_VALUE) {
        // Cannot be negated; never a rating or a timestamp, but keep the method total.
        ascii(Long.toString(v).substring(1));
        return;
      }
      v = -v;
    }
    int n = 0;
    do {
      digits[n++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    while (n > 0) {
      buf[pos++] = digits[--n];
    }
  }

  /** {@code v} rounded half away from zero to {@code decimals} places, always with that many decimals. */
  void fixed(double v, int decimals) throws IOException {
    long scale = POWERS_OF_TEN[decimals];
    boolean negative = v < 0;
    long scaled = Math.round(Math.abs(v) * scale);
    if (negative && scaled != 0) {
      ensure(1);
      buf[pos++] = '-';
    }
    longValue(scaled / scale);
    if (decimals == 0) {
      return;
    }
    ensure(1 + decimals);
    buf[pos++] = '.';
    long frac = scaled % scale;
    for (int d = decimals - 1; d >= 0; d--) {
      buf[pos++] = (byte) ('0' + (frac / POWERS_OF_TEN[d]) % 10);
    }
  }

  private void flushBuffer() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flushBuffer();
    } finally {
      out.close();
    }
  }
}
