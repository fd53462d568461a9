package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
    }
  }

  @Test
  void knownValuesDoNotDriftBetweenReleases() {
    // The hash places ids in blocks and seeds their initial factors; a change would change every model. FNV-1a of
    // the empty string is the offset basis, and fmix64(0) is 0.
    assertThat(BlockHash.hash64("")).isEqualTo(BlockHash.mix64(0xcbf29ce484222325L));
    assertThat(BlockHash.mix64(0)).isZero();
    assertThat(BlockHash.block("user_10423", 7)).isEqualTo((int) Math.floorMod(reference("user_10423"), 7L));
  }
}
