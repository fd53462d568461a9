package io.blockals.engine;

import java.nio.charset.StandardCharsets;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Stable hashing of external ids: which block an id lives in, and the seed of its initial factor. Both must be the
 * same on every JVM and for every input partitioning, so they hash the id's UTF-8 bytes (never
 * {@code Object.hashCode} of anything but a String, never identity).
 */
public final class BlockHash {
  private BlockHash() {}

  /** A 64-bit FNV-1a over UTF-8 bytes, finished with a murmur-style avalanche so that similar ids spread. */
  public static long hash64(String id) {
    // ASCII ids (nearly all of them) are their own UTF-8 bytes: hashed from the chars, with no byte array per call;
    // set-up hashes every rating's user id.
    long h = 0xcbf29ce484222325L;
    int n = id.length();
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (c >= 0x80) {
        return hashUtf8(id);
      }
      h ^= c;
      h *= 0x100000001b3L;
    }
    return mix64(h);
  }

  private static long hashUtf8(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return mix64(h);
  }

  /** {@link #hash64(String)} of the id these UTF-8 bytes spell, read where they lie (a Spark row's buffer). */
  public static long hash64(UTF8String id) {
    Object base = id.getBaseObject();
    long offset = id.getBaseOffset();
    int n = id.numBytes();
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < n; i++) {
      h ^= (Platform.getByte(base, offset + i) & 0xff);
      h *= 0x100000001b3L;
    }
    return mix64(h);
  }

  /** {@link #hash64(String)} of {@code Long.toString(id)}: a number stands for its decimal string. */
  public static long hash64(long id) {
    return hash64(Long.toString(id));
  }

  /** The finaliser of MurmurHash3 (fmix64): every input bit affects every output bit. */
  public static long mix64(long z) {
    z ^= z >>> 33;
    z *= 0xff51afd7ed558ccdL;
    z ^= z >>> 33;
    z *= 0xc4ceb9fe1a85ec53L;
    z ^= z >>> 33;
    return z;
  }

  /** The block of an id among {@code numBlocks}. */
  public static int block(String id, int numBlocks) {
    return (int) Math.floorMod(hash64(id), (long) numBlocks);
  }

  /** The block of an id read from an integer column: the same as for its decimal string. */
  public static int block(long id, int numBlocks) {
    return (int) Math.floorMod(hash64(id), (long) numBlocks);
  }

  /** The block of an id, given as UTF-8 bytes, among {@code numBlocks}: the same as for its Java string. */
  public static int block(UTF8String id, int numBlocks) {
    return (int) Math.floorMod(hash64(id), (long) numBlocks);
  }
}
