package io.blockals.engine;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Builds the {@link SideBlock}s at set-up, in plain Java (Spark only routes the batches here).
 *
 * <p>Local indices are positions in the block's sorted ids. The user side and the item side each work out the
 * other side's positions on their own, with no third shuffle: the item rows a user block receives from item block
 * {@code d} are the items of {@code d} its users rated, in item-id order, which is exactly the order of their local
 * indices in {@code d}; likewise the other way round.
 */
final class BlockBuilder {
  private BlockBuilder() {}

  /**
   * A user block from the raw ratings routed to it: de-duplicates (user, item) pairs by {@code policy}, indexes users
   * and builds the in-block (gathering from {@code numItemBlocks} item blocks) and the out-block.
   */
  static SideBlock buildUserBlock(int block, Iterator<RatingBatch> batches, int numItemBlocks,
      DuplicatePolicy policy) {
    List<RatingBatch> list = new ArrayList<>();
    int n = 0;
    StringIndex userSeen = new StringIndex(1024);
    StringIndex itemSeen = new StringIndex(1024);
    while (batches.hasNext()) {
      RatingBatch b = batches.next();
      list.add(b);
      n += b.size();
      for (String id : b.userTable) {
        userSeen.add(id);
      }
      for (String id : b.itemTable) {
        itemSeen.add(id);
      }
    }
    int[] userRank = sortedRanks(userSeen);
    int[] itemRank = sortedRanks(itemSeen);
    String[] userIds = byRank(userSeen, userRank);
    String[] itemIds = byRank(itemSeen, itemRank);
    // Per rating only array look-ups: each batch's table is translated to block codes once.
    int[] userLocal = new int[n];
    int[] itemCode = new int[n];
    float[] rating = new float[n];
    long[] ts = new long[n];
    long[] ord = new long[n];
    int o = 0;
    for (int bi = 0; bi < list.size(); bi++) {
      RatingBatch b = list.get(bi);
      int[] uCode = translate(b.userTable, userSeen, userRank);
      int[] iCode = translate(b.itemTable, itemSeen, itemRank);
      for (int j = 0; j < b.size(); j++) {
        userLocal[o] = uCode[b.userIdx[j]];
        itemCode[o] = iCode[b.itemIdx[j]];
        o++;
      }
      System.arraycopy(b.rating, 0, rating, o - b.size(), b.size());
      System.arraycopy(b.ts, 0, ts, o - b.size(), b.size());
      System.arraycopy(b.ord, 0, ord, o - b.size(), b.size());
    }

    // Group equal (user, item) pairs next to each other, in input order (the sort is stable but batches arrive in
    // any order, so the winner is chosen by (ts, ord), never by position in these arrays).
    long[] key = new long[n];
    int[] idx = new int[n];
    for (int j = 0; j < n; j++) {
      key[j] = ((long) userLocal[j] << 32) | itemCode[j];
      idx[j] = j;
    }
    LongIntSort.sort(key, idx, n);

    int kept = 0;
    int[] row = new int[n];
    int[] other = new int[n];
    float[] value = new float[n];
    for (int start = 0; start < n; ) {
      int end = start + 1;
      while (end < n && key[end] == key[start]) {
        end++;
      }
      int win = idx[start];
      float v = rating[win];
      if (end - start > 1) {
        if (policy == DuplicatePolicy.FAIL) {
          throw BlockalsException.inputRejected("duplicate rating for user '" + userIds[userLocal[win]]
              + "' and item '" + itemIds[itemCode[win]] + "' (" + (end - start)
              + " rows); set duplicates = latest, first or sum to resolve them");
        }
        double sum = v;
        for (int g = start + 1; g < end; g++) {
          int c = idx[g];
          sum += rating[c];
          boolean later = ts[c] > ts[win] || (ts[c] == ts[win] && ord[c] > ord[win]);
          if ((policy == DuplicatePolicy.LATEST) == later) {
            win = c;
          }
        }
        v = policy == DuplicatePolicy.SUM ? (float) sum : rating[win];
      }
      row[kept] = userLocal[win];
      other[kept] = itemCode[win];
      value[kept] = v;
      kept++;
      start = end;
    }

    int[] itemBlockOfCode = new int[itemIds.length];
    for (int c = 0; c < itemIds.length; c++) {
      itemBlockOfCode[c] = BlockHash.block(itemIds[c], numItemBlocks);
    }
    int[] otherBlock = new int[kept];
    for (int j = 0; j < kept; j++) {
      otherBlock[j] = itemBlockOfCode[other[j]];
    }
    return assemble(block, userIds, row, otherBlock, other, value, kept, numItemBlocks, itemIds);
  }

  /** Splits a user block's ratings into one batch per item block, for the second set-up shuffle. */
  static ItemBatch[] toItemBatches(SideBlock users, int numItemBlocks) {
    int[] count = new int[numItemBlocks];
    int[] gatheredBlock = gatheredBlocks(users.srcOffset);
    for (int p : users.pos) {
      count[gatheredBlock[p]]++;
    }
    int[][] ul = new int[numItemBlocks][];
    int[][] ii = new int[numItemBlocks][];
    float[][] rv = new float[numItemBlocks][];
    for (int d = 0; d < numItemBlocks; d++) {
      ul[d] = new int[count[d]];
      ii[d] = new int[count[d]];
      rv[d] = new float[count[d]];
    }
    int[] fill = new int[numItemBlocks];
    for (int r = 0; r < users.numRows(); r++) {
      for (int j = users.rowPtr[r]; j < users.rowPtr[r + 1]; j++) {
        int p = users.pos[j];
        int d = gatheredBlock[p];
        int f = fill[d]++;
        ul[d][f] = r;
        ii[d][f] = p - users.srcOffset[d];
        rv[d][f] = users.value[j];
      }
    }
    ItemBatch[] out = new ItemBatch[numItemBlocks];
    for (int d = 0; d < numItemBlocks; d++) {
      String[] table = Arrays.copyOfRange(users.gatheredIds, users.srcOffset[d], users.srcOffset[d + 1]);
      out[d] = new ItemBatch(users.block, ul[d], table, ii[d], rv[d]);
    }
    return out;
  }

  /** An item block from the de-duplicated ratings all user blocks sent to it. */
  static SideBlock buildItemBlock(int block, Iterator<ItemBatch> batches, int numUserBlocks) {
    List<ItemBatch> list = new ArrayList<>();
    int n = 0;
    StringIndex seen = new StringIndex(1024);
    while (batches.hasNext()) {
      ItemBatch b = batches.next();
      list.add(b);
      n += b.rating.length;
      for (String id : b.itemTable) {
        seen.add(id);
      }
    }
    int[] itemRank = sortedRanks(seen);
    String[] itemIds = byRank(seen, itemRank);
    int[] row = new int[n];
    int[] otherBlock = new int[n];
    int[] otherCode = new int[n];
    float[] value = new float[n];
    int o = 0;
    for (ItemBatch b : list) {
      int[] local = translate(b.itemTable, seen, itemRank);
      for (int j = 0; j < b.rating.length; j++) {
        row[o] = local[b.itemIndex[j]];
        otherBlock[o] = b.userBlock;
        otherCode[o] = b.userLocal[j];
        value[o] = b.rating[j];
        o++;
      }
    }
    return assemble(block, itemIds, row, otherBlock, otherCode, value, n, numUserBlocks, null);
  }

  /**
   * The common part: from ratings given as (local row, other-side block, other-side code, value), where the code
   * orders the other side's rows within each of its blocks as their local indices do, builds the gathered layout,
   * the CSR in-block (entries of a row sorted by gathered position, so the arithmetic order is fixed) and the
   * out-block.
   *
   * @param codeIds when not null, the id of each code; the block then keeps the id of each gathered row
   */
  static SideBlock assemble(int block, String[] ids, int[] row, int[] otherBlock, int[] otherCode, float[] value,
      int n, int numOtherBlocks, String[] codeIds) {
    long[] gk = new long[n];
    for (int j = 0; j < n; j++) {
      gk[j] = ((long) otherBlock[j] << 32) | otherCode[j];
    }
    long[] gathered = uniqueSorted(gk, n);
    int[] srcOffset = new int[numOtherBlocks + 1];
    for (long g : gathered) {
      srcOffset[(int) (g >>> 32) + 1]++;
    }
    for (int d = 0; d < numOtherBlocks; d++) {
      srcOffset[d + 1] += srcOffset[d];
    }
    String[] gatheredIds = null;
    if (codeIds != null) {
      gatheredIds = new String[gathered.length];
      for (int g = 0; g < gathered.length; g++) {
        gatheredIds[g] = codeIds[(int) gathered[g]];
      }
    }

    long[] ck = new long[n];
    int[] cp = new int[n];
    for (int j = 0; j < n; j++) {
      int p = Arrays.binarySearch(gathered, gk[j]);
      ck[j] = ((long) row[j] << 32) | p;
      cp[j] = j;
    }
    LongIntSort.sort(ck, cp, n);
    int numRows = ids.length;
    int[] rowPtr = new int[numRows + 1];
    int[] pos = new int[n];
    float[] val = new float[n];
    for (int j = 0; j < n; j++) {
      rowPtr[(int) (ck[j] >>> 32) + 1]++;
      pos[j] = (int) ck[j];
      val[j] = value[cp[j]];
    }
    for (int r = 0; r < numRows; r++) {
      rowPtr[r + 1] += rowPtr[r];
    }

    long[] ok = new long[n];
    for (int j = 0; j < n; j++) {
      ok[j] = ((long) otherBlock[j] << 32) | row[j];
    }
    long[] outKeys = uniqueSorted(ok, n);
    int[] outCount = new int[numOtherBlocks];
    for (long k : outKeys) {
      outCount[(int) (k >>> 32)]++;
    }
    int[][] outLocal = new int[numOtherBlocks][];
    int at = 0;
    for (int d = 0; d < numOtherBlocks; d++) {
      outLocal[d] = new int[outCount[d]];
      for (int t = 0; t < outCount[d]; t++) {
        outLocal[d][t] = (int) outKeys[at++];
      }
    }
    return new SideBlock(block, ids, srcOffset, rowPtr, pos, val, outLocal, gatheredIds);
  }

  /** For each gathered row, the other-side block it comes from. */
  static int[] gatheredBlocks(int[] srcOffset) {
    int[] out = new int[srcOffset[srcOffset.length - 1]];
    for (int d = 0; d + 1 < srcOffset.length; d++) {
      Arrays.fill(out, srcOffset[d], srcOffset[d + 1], d);
    }
    return out;
  }

  private static long[] uniqueSorted(long[] keys, int n) {
    long[] copy = Arrays.copyOf(keys, n);
    Arrays.sort(copy);
    int u = 0;
    for (int j = 0; j < n; j++) {
      if (u == 0 || copy[j] != copy[u - 1]) {
        copy[u++] = copy[j];
      }
    }
    return Arrays.copyOf(copy, u);
  }

  /** For each code of {@code index}, the position of its string in sorted order (the local index). */
  private static int[] sortedRanks(StringIndex index) {
    String[] keys = index.keys();
    Integer[] order = new Integer[keys.length];
    for (int c = 0; c < keys.length; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (x, y) -> keys[x].compareTo(keys[y]));
    int[] rank = new int[keys.length];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r;
    }
    return rank;
  }

  private static String[] byRank(StringIndex index, int[] rank) {
    String[] keys = index.keys();
    String[] out = new String[keys.length];
    for (int c = 0; c < keys.length; c++) {
      out[rank[c]] = keys[c];
    }
    return out;
  }

  private static int[] translate(String[] table, StringIndex index, int[] rank) {
    int[] out = new int[table.length];
    for (int t = 0; t < table.length; t++) {
      out[t] = rank[index.get(table[t])];
    }
    return out;
  }
}
