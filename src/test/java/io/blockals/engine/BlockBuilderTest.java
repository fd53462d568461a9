package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The set-up blocks, without Spark: the shuffles are simulated by routing batches by hand. */
class BlockBuilderTest {

  /** Builds every block the way BlockAls does, with the batches routed in the given (scrambled) order. */
  static SideBlock[][] build(List<String[]> rows, int nU, int nI, DuplicatePolicy policy, long shuffleSeed) {
    List<List<RatingBatch>> toUsers = new ArrayList<>();
    for (int b = 0; b < nU; b++) {
      toUsers.add(new ArrayList<>());
    }
    for (int j = 0; j < rows.size(); j++) {
      String[] r = rows.get(j);
      // Batches of one or two ratings, so tables and arrival order both get exercised.
      RatingBatch.Builder one = new RatingBatch.Builder(1);
      one.add(r[0], r[1], Float.parseFloat(r[2]), r.length > 3 ? Long.parseLong(r[3]) : RatingBatch.NO_TIMESTAMP, j);
      toUsers.get(BlockHash.block(r[0], nU)).add(one.build());
    }
    Random shuffle = new Random(shuffleSeed);
    SideBlock[] users = new SideBlock[nU];
    List<List<ItemBatch>> toItems = new ArrayList<>();
    for (int d = 0; d < nI; d++) {
      toItems.add(new ArrayList<>());
    }
    for (int b = 0; b < nU; b++) {
      java.util.Collections.shuffle(toUsers.get(b), shuffle);
      users[b] = BlockBuilder.buildUserBlock(b, toUsers.get(b).iterator(), nI, policy);
      ItemBatch[] out = BlockBuilder.toItemBatches(users[b], nI);
      for (int d = 0; d < nI; d++) {
        toItems.get(d).add(out[d]);
      }
    }
    SideBlock[] items = new SideBlock[nI];
    for (int d = 0; d < nI; d++) {
      java.util.Collections.shuffle(toItems.get(d), shuffle);
      items[d] = BlockBuilder.buildItemBlock(d, toItems.get(d).iterator(), nU);
    }
    return new SideBlock[][] {users, items};
  }

  /** Reads the (user, item) -> value triples back out of the user side's in-blocks. */
  static Map<String, Float> fromUserSide(SideBlock[] users) {
    Map<String, Float> out = new HashMap<>();
    for (SideBlock b : users) {
      for (int r = 0; r < b.numRows(); r++) {
        for (int j = b.rowPtr[r]; j < b.rowPtr[r + 1]; j++) {
          out.put(b.id(r) + "|" + b.gatheredIds[b.pos[j]], b.value[j]);
        }
      }
    }
    return out;
  }

  /**
   * Reads the triples out of the item side, resolving each gathered row through the user blocks' out-blocks: this is
   * exactly how factors will travel, so it checks that both sides agree on the message layout.
   */
  static Map<String, Float> fromItemSide(SideBlock[] items, SideBlock[] users) {
    Map<String, Float> out = new HashMap<>();
    for (SideBlock d : items) {
      int[] srcBlock = BlockBuilder.gatheredBlocks(d.srcOffset);
      for (int r = 0; r < d.numRows(); r++) {
        for (int j = d.rowPtr[r]; j < d.rowPtr[r + 1]; j++) {
          int p = d.pos[j];
          int s = srcBlock[p];
          int userLocal = users[s].outLocal[d.block][p - d.srcOffset[s]];
          out.put(users[s].id(userLocal) + "|" + d.id(r), d.value[j]);
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} user blocks x {1} item blocks")
  @CsvSource({"1,1", "1,2", "2,1", "3,2", "7,5"})
  void bothSidesHoldExactlyTheRatingsAndAgreeOnTheLayout(int nU, int nI) {
    Random rnd = new Random(7);
    List<String[]> rows = new ArrayList<>();
    Map<String, Float> expected = new HashMap<>();
    Set<String> seen = new HashSet<>();
    while (rows.size() < 400) {
      String u = "u" + rnd.nextInt(40);
      String i = "i" + rnd.nextInt(30);
      if (seen.add(u + "|" + i)) {
        float v = rnd.nextInt(9) * 0.5f + 1;
        rows.add(new String[] {u, i, Float.toString(v)});
        expected.put(u + "|" + i, v);
      }
    }
    SideBlock[][] blocks = build(rows, nU, nI, DuplicatePolicy.LATEST, 1);
    assertThat(fromUserSide(blocks[0])).isEqualTo(expected);
    assertThat(fromItemSide(blocks[1], blocks[0])).isEqualTo(expected);
    for (SideBlock b : blocks[0]) {
      assertThat(b.ids).isSorted();
      // Users of a block are the ones the hash sends there.
      for (String id : b.ids) {
        assertThat(BlockHash.block(id, nU)).isEqualTo(b.block);
      }
      // Entries of a row are in gathered order: the arithmetic order is fixed.
      for (int r = 0; r < b.numRows(); r++) {
        for (int j = b.rowPtr[r] + 1; j < b.rowPtr[r + 1]; j++) {
          assertThat(b.pos[j]).isGreaterThan(b.pos[j - 1]);
        }
      }
    }
  }

  @Test
  void theBlocksDoNotDependOnArrivalOrder() {
    List<String[]> rows = new ArrayList<>();
    Random rnd = new Random(3);
    for (int j = 0; j < 300; j++) {
      rows.add(new String[] {"u" + rnd.nextInt(25), "i" + rnd.nextInt(25), Integer.toString(1 + rnd.nextInt(5)),
          Integer.toString(rnd.nextInt(4))});
    }
    SideBlock[][] a = build(rows, 3, 2, DuplicatePolicy.LATEST, 11);
    SideBlock[][] b = build(rows, 3, 2, DuplicatePolicy.LATEST, 99);
    for (int side = 0; side < 2; side++) {
      for (int k = 0; k < a[side].length; k++) {
        assertThat(b[side][k].ids).containsExactly(a[side][k].ids);
        assertThat(b[side][k].pos).containsExactly(a[side][k].pos);
        assertThat(b[side][k].value).containsExactly(a[side][k].value);
        assertThat(b[side][k].rowPtr).containsExactly(a[side][k].rowPtr);
      }
    }
  }

  /** u1/m1 is rated three times: ts 5 (value 1), ts 9 (value 2), ts 9 again later in the file (value 3). */
  private static List<String[]> duplicates() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"u1", "m1", "1", "5"});
    rows.add(new String[] {"u1", "m1", "2", "9"});
    rows.add(new String[] {"u2", "m1", "4", "1"});
    rows.add(new String[] {"u1", "m1", "3", "9"});
    rows.add(new String[] {"u1", "m2", "5", "0"});
    return rows;
  }

  @ParameterizedTest(name = "{0} keeps {1}")
  @CsvSource({
      // latest: ts 9 twice, the later row (value 3) wins; first: ts 5 (value 1); sum: 1 + 2 + 3 = 6.
      "LATEST,3", "FIRST,1", "SUM,6"})
  void duplicatePolicies(DuplicatePolicy policy, float kept) {
    Map<String, Float> got = fromUserSide(build(duplicates(), 2, 2, policy, 5)[0]);
    assertThat(got).containsEntry("u1|m1", kept).containsEntry("u2|m1", 4f).containsEntry("u1|m2", 5f).hasSize(3);
  }

  @Test
  void duplicatePolicyFailNamesThePair() {
    assertThatThrownBy(() -> build(duplicates(), 1, 1, DuplicatePolicy.FAIL, 5))
        .isInstanceOf(BlockalsException.class)
        .hasMessageContaining("'u1'").hasMessageContaining("'m1'").hasMessageContaining("3 rows")
        .extracting(e -> ((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
  }

  @Test
  void moreBlocksThanIdsLeavesEmptyBlocksThatStillWork() {
    List<String[]> rows = List.of(new String[] {"a", "x", "1"}, new String[] {"b", "y", "2"});
    SideBlock[][] blocks = build(rows, 6, 5, DuplicatePolicy.LATEST, 1);
    int nonEmpty = 0;
    for (SideBlock b : blocks[0]) {
      nonEmpty += b.numRows() > 0 ? 1 : 0;
      assertThat(b.outLocal).hasNumberOfRows(5);
    }
    assertThat(nonEmpty).isBetween(1, 2);
    assertThat(fromItemSide(blocks[1], blocks[0])).containsOnlyKeys("a|x", "b|y");
  }

  @Test
  void idsOfInvalidUtf8ThatDecodeToOneStringAreOneId() {
    // Set-up indexes ids by their bytes and makes strings only at the end; bytes that are not UTF-8 decode with
    // U+FFFD, and ids that become the same string must be one row (as the Row path, which reads strings, has it).
    byte[][] users = {{'u', (byte) 0xFF}, {'u', (byte) 0xFE}, "u\uFFFD".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        {'v'}};
    String[] items = {"m1", "m1", "m2", "m1"};
    List<RatingBatch> batches = new ArrayList<>();
    for (int j = 0; j < users.length; j++) {
      RatingBatch.Builder one = new RatingBatch.Builder(1, RatingBatch.Keys.UTF8);
      one.add(org.apache.spark.unsafe.types.UTF8String.fromBytes(users[j]),
          org.apache.spark.unsafe.types.UTF8String.fromString(items[j]), j + 1, RatingBatch.NO_TIMESTAMP, j);
      batches.add(one.build());
    }
    SideBlock b = BlockBuilder.buildUserBlock(0, batches.iterator(), 1, DuplicatePolicy.SUM);
    Map<String, Float> got = fromUserSide(new SideBlock[] {b});
    assertThat(b.numRows()).isEqualTo(2);
    assertThat(got).containsOnly(Map.entry("u\uFFFD|m1", 3f), Map.entry("u\uFFFD|m2", 3f), Map.entry("v|m1", 4f));
  }

  @Test
  void numericIdsBuildTheBlockOfTheirDecimalStrings() {
    // Ids from integer columns travel and are indexed as numbers; the block must be the one the same ids give as
    // strings: same ids, same order, same in-block, out-block and gathered ids, duplicates resolved alike.
    Random rnd = new Random(8);
    List<RatingBatch> numeric = new ArrayList<>();
    List<RatingBatch> strings = new ArrayList<>();
    RatingBatch.Builder n = null;
    RatingBatch.Builder t = null;
    for (int j = 0; j < 400; j++) {
      if (j % 37 == 0) {
        if (n != null) {
          numeric.add(n.build());
          strings.add(t.build());
        }
        n = new RatingBatch.Builder(37, RatingBatch.Keys.LONGS);
        t = new RatingBatch.Builder(37);
      }
      // Negative, one-digit and many-digit ids: their string order is not their numeric order.
      long user = rnd.nextInt(30) - 10;
      long item = (rnd.nextBoolean() ? 1_000_000_007L : 1) * rnd.nextInt(40);
      float r = 1 + rnd.nextInt(5);
      long ts = rnd.nextInt(3);
      n.add(user, item, r, ts, j);
      t.add(Long.toString(user), Long.toString(item), r, ts, j);
    }
    numeric.add(n.build());
    strings.add(t.build());
    SideBlock a = BlockBuilder.buildUserBlock(0, numeric.iterator(), 3, DuplicatePolicy.LATEST);
    SideBlock b = BlockBuilder.buildUserBlock(0, strings.iterator(), 3, DuplicatePolicy.LATEST);
    assertThat(a.ids).containsExactly(b.ids).contains("-10", "0");
    assertThat(a.gatheredIds).containsExactly(b.gatheredIds);
    assertThat(a.srcOffset).containsExactly(b.srcOffset);
    assertThat(a.rowPtr).containsExactly(b.rowPtr);
    assertThat(a.pos).containsExactly(b.pos);
    assertThat(a.value).containsExactly(b.value);
    for (int d = 0; d < 3; d++) {
      assertThat(a.outLocal[d]).containsExactly(b.outLocal[d]);
    }
  }

  @Test
  void longIdsAreOnlyThoseThatRoundTrip() {
    assertThat(SideBlock.isCanonicalLong("123")).isTrue();
    assertThat(SideBlock.isCanonicalLong("-9")).isTrue();
    assertThat(SideBlock.isCanonicalLong("007")).isFalse();
    assertThat(SideBlock.isCanonicalLong("1e3")).isFalse();
    assertThat(SideBlock.isCanonicalLong("99999999999999999999")).isFalse();
  }
}
