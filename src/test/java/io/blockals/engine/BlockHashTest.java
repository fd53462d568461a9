package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class BlockHashTest {
  /** The definition: FNV-1a 64 over the UTF-8 bytes, then fmix64. */
  private static long reference(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return BlockHash.mix64(h);
  }

  @Test
  void hashesTheUtf8BytesOfAsciiAndNonAsciiIdsAlike() {
    String[] ids = {"", "a", "user_10423", "u_3f9a1c", "Zoë", "東京", "emoji-\uD83D\uDE00", "mixed ascii then é",
        "\u007f", "\u0080"};
    for (String id : ids) {
      assertThat(BlockHash.hash64(id)).as(id).isEqualTo(reference(id));
      // Spark's internal rows hand ids over as UTF-8 bytes, in a buffer with other fields around them: same hash,
      // same block.
      byte[] utf8 = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] buffer = new byte[utf8.length + 7];
      java.util.Arrays.fill(buffer, (byte) 'x');
      System.arraycopy(utf8, 0, buffer, 3, utf8.length);
      UTF8String inBuffer = UTF8String.fromAddress(buffer, Platform.BYTE_ARRAY_OFFSET + 3, utf8.length);
      assertThat(BlockHash.hash64(inBuffer)).as("UTF-8 " + id).isEqualTo(reference(id));
      for (int n : new int[] {2, 3, 7}) {
        assertThat(BlockHash.block(inBuffer, n)).isEqualTo(BlockHash.block(id, n));
      }
    }
  }

  @Test
  void knownValuesDoNotDriftBetweenReleases() {
    // The hash places ids in blocks and seeds their initial factors; a change would change every model. The values
    // below were computed outside Java, in Python with arbitrary-precision integers masked to 64 bits:
    //   fnv(b): h = 0xcbf29ce484222325; for x in b: h ^= x; h = (h * 0x100000001b3) & (2**64 - 1)
    //   fmix(z): z ^= z >> 33; z = (z * 0xff51afd7ed558ccd) & M; z ^= z >> 33; z = (z * 0xc4ceb9fe1a85ec53) & M;
    //            z ^= z >> 33
    // FNV-1a 64 of "" is the offset basis and of "a" is 0xaf63dc4c8601ec8c, the published test vectors; the block is
    // Python's floor modulo of the signed value, as Math.floorMod.
    assertThat(BlockHash.mix64(0)).isZero();
    assertThat(BlockHash.mix64(0xcbf29ce484222325L)).isEqualTo(0xefd01f60ba992926L);
    assertThat(BlockHash.hash64("")).isEqualTo(0xefd01f60ba992926L);
    assertThat(BlockHash.hash64("a")).isEqualTo(0x82a2a958a9bece5bL);
    assertThat(BlockHash.hash64("user_10423")).isEqualTo(0x0945654679a3c718L);
    assertThat(BlockHash.hash64("Zo\u00eb")).isEqualTo(0x3f8a1b8741a8d7b9L);
    assertThat(BlockHash.hash64(42L)).isEqualTo(0x810b196a56ee3cecL);
    assertThat(BlockHash.block("user_10423", 7)).isEqualTo(6); // 668051473097279256 mod 7
    assertThat(BlockHash.block("a", 7)).isEqualTo(6); // floorMod(-9033471704281723301, 7)
    assertThat(BlockHash.block("Zo\u00eb", 7)).isEqualTo(1); // 4578502238911649721 mod 7
    assertThat(BlockHash.block(42L, 7)).isEqualTo(0); // floorMod(-9148190273557349140, 7)
  }

  @Test
  void aNumberHashesAndFallsInTheBlockOfItsDecimalString() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
    long[] ids = new long[2000];
    long[] edges = {0, 1, -1, 9, 10, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};
    System.arraycopy(edges, 0, ids, 0, edges.length);
    for (int i = edges.length; i < ids.length; i++) {
      ids[i] = rnd.nextLong() >> rnd.nextInt(64);
    }
    for (long id : ids) {
      String s = Long.toString(id);
      assertThat(BlockHash.hash64(id)).as(s).isEqualTo(reference(s));
      for (int n : new int[] {2, 3, 7}) {
        assertThat(BlockHash.block(id, n)).as(s).isEqualTo(BlockHash.block(s, n));
      }
    }
  }
}
