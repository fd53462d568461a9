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
    while (batches.hasNext()) {
      list.add(batches.next());
    }
    SeenIds seen = indexIds(list);
    int[] userRank = sortedRanks(seen.users, null);
    // Item codes ordered by (item block, id): the order of the gathered rows, so each user's ratings, sorted by code
    // to find duplicates, come out in gathered order and assemble has nothing left to sort.
    int[] blockOfSeen = new int[seen.items.length];
    for (int c = 0; c < seen.items.length; c++) {
      blockOfSeen[c] = BlockHash.block(seen.items[c], numItemBlocks);
    }
    int[] itemRank = sortedRanks(seen.items, blockOfSeen);
    String[] userIds = byRank(seen.users, userRank);
    String[] itemIds = byRank(seen.items, itemRank);
    Flat flat = flatten(list, seen, userRank, itemRank);
    Pairs pairs = groupPairs(flat, userIds.length);
    Kept kept = resolveDuplicates(flat, pairs, policy, userIds, itemIds);

    int[] itemBlockOfCode = new int[itemIds.length];
    for (int c = 0; c < seen.items.length; c++) {
      itemBlockOfCode[itemRank[c]] = blockOfSeen[c];
    }
    int[] otherBlock = new int[kept.size];
    for (int j = 0; j < kept.size; j++) {
      otherBlock[j] = itemBlockOfCode[kept.item[j]];
    }
    return assemble(block, userIds, kept.user, otherBlock, kept.item, kept.value, kept.size, numItemBlocks, itemIds);
  }

  /**
   * The distinct ids of a user block's batches, by code of first sight, and each batch's id tables as those codes.
   */
  private record SeenIds(String[] users, String[] items, List<int[]> userCodes, List<int[]> itemCodes) {}

  /** The ratings of all batches side by side: local user index, item code (in gathered order), value, order keys. */
  private record Flat(int[] userLocal, int[] itemCode, float[] rating, long[] ts, long[] ord) {
    int size() {
      return rating.length;
    }
  }

  /**
   * Ratings grouped by (user, item): {@code key[t]} packs (user, item code) of the t-th rating in that order,
   * {@code idx[t]} is its index in {@link Flat}.
   */
  private record Pairs(long[] key, int[] idx) {}

  /** One rating per (user, item) pair, the first {@code size} entries of each array. */
  private record Kept(int[] user, int[] item, float[] value, int size) {}

  /**
   * Indexes the ids of {@code list}: as numbers when every table comes from integer columns (and a string made of
   * each distinct one), as UTF-8 bytes otherwise. Each batch's tables become codes of the block-wide indexes as the
   * ids are added: one hash look-up per table entry, not a second one to translate.
   */
  private static SeenIds indexIds(List<RatingBatch> list) {
    List<int[]> userCodes = new ArrayList<>();
    List<int[]> itemCodes = new ArrayList<>();
    boolean numeric = true;
    for (RatingBatch b : list) {
      numeric &= b.userTable.isNumeric() && b.itemTable.isNumeric();
    }
    if (numeric) {
      LongIndex userNumbers = new LongIndex(1024);
      LongIndex itemNumbers = new LongIndex(1024);
      for (RatingBatch b : list) {
        userCodes.add(userNumbers.addAll(b.userTable));
        itemCodes.add(itemNumbers.addAll(b.itemTable));
      }
      return new SeenIds(userNumbers.strings(), itemNumbers.strings(), userCodes, itemCodes);
    }
    Utf8Index userBytes = new Utf8Index(1024);
    Utf8Index itemBytes = new Utf8Index(1024);
    for (RatingBatch b : list) {
      userCodes.add(userBytes.addAll(b.userTable.asBytes()));
      itemCodes.add(itemBytes.addAll(b.itemTable.asBytes()));
    }
    return new SeenIds(asStrings(userBytes, userCodes), asStrings(itemBytes, itemCodes), userCodes, itemCodes);
  }

  /** Every batch's ratings in one set of arrays; per rating only array look-ups (each table translated once). */
  private static Flat flatten(List<RatingBatch> list, SeenIds seen, int[] userRank, int[] itemRank) {
    int n = 0;
    for (RatingBatch b : list) {
      n += b.size();
    }
    int[] userLocal = new int[n];
    int[] itemCode = new int[n];
    float[] rating = new float[n];
    long[] ts = new long[n];
    long[] ord = new long[n];
    int o = 0;
    for (int bi = 0; bi < list.size(); bi++) {
      RatingBatch b = list.get(bi);
      int[] uCode = translate(seen.userCodes.get(bi), userRank);
      int[] iCode = translate(seen.itemCodes.get(bi), itemRank);
      for (int j = 0; j < b.size(); j++) {
        userLocal[o] = uCode[b.userIdx[j]];
        itemCode[o] = iCode[b.itemIdx[j]];
        o++;
      }
      System.arraycopy(b.rating, 0, rating, o - b.size(), b.size());
      System.arraycopy(b.ts, 0, ts, o - b.size(), b.size());
      System.arraycopy(b.ord, 0, ord, o - b.size(), b.size());
    }
    return new Flat(userLocal, itemCode, rating, ts, ord);
  }

  /**
   * Groups equal (user, item) pairs: buckets by user (counting sort, O(n)), then sorts each user's short segment by
   * item code with its rating index packed alongside.
   */
  private static Pairs groupPairs(Flat flat, int numUsers) {
    int n = flat.size();
    int[] userLocal = flat.userLocal;
    int[] userStart = new int[numUsers + 1];
    for (int j = 0; j < n; j++) {
      userStart[userLocal[j] + 1]++;
    }
    for (int u = 0; u < numUsers; u++) {
      userStart[u + 1] += userStart[u];
    }
    long[] key = new long[n];
    int[] fill = Arrays.copyOf(userStart, numUsers);
    for (int j = 0; j < n; j++) {
      key[fill[userLocal[j]]++] = ((long) flat.itemCode[j] << 32) | j;
    }
    for (int u = 0; u < numUsers; u++) {
      Arrays.sort(key, userStart[u], userStart[u + 1]);
    }
    int[] idx = new int[n];
    for (int t = 0; t < n; t++) {
      idx[t] = (int) key[t];
      key[t] = ((long) userLocal[idx[t]] << 32) | (key[t] >>> 32);
    }
    return new Pairs(key, idx);
  }

  /**
   * Keeps one rating per (user, item) by {@code policy}. Batches arrive in any order, so the winner among duplicates
   * is chosen by (ts, ord), never by position in the arrays; duplicates are taken in input order (ord), so even a
   * sum is added up in the same order on every run.
   */
  private static Kept resolveDuplicates(Flat flat, Pairs pairs, DuplicatePolicy policy, String[] userIds,
      String[] itemIds) {
    int n = flat.size();
    long[] key = pairs.key;
    int[] idx = pairs.idx;
    float[] rating = flat.rating;
    long[] ts = flat.ts;
    long[] ord = flat.ord;
    int kept = 0;
    int[] row = new int[n];
    int[] other = new int[n];
    float[] value = new float[n];
    for (int start = 0; start < n; ) {
      int end = start + 1;
      while (end < n && key[end] == key[start]) {
        end++;
      }
      if (end - start > 1) {
        for (int g = start + 1; g < end; g++) {
          int c = idx[g];
          int h = g - 1;
          while (h >= start && ord[idx[h]] > ord[c]) {
            idx[h + 1] = idx[h];
            h--;
          }
          idx[h + 1] = c;
        }
      }
      int win = idx[start];
      float v = rating[win];
      if (end - start > 1) {
        if (policy == DuplicatePolicy.FAIL) {
          throw BlockalsException.inputRejected("duplicate rating for user '" + userIds[flat.userLocal[win]]
              + "' and item '" + itemIds[flat.itemCode[win]] + "' (" + (end - start)
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
      row[kept] = flat.userLocal[win];
      other[kept] = flat.itemCode[win];
      value[kept] = v;
      kept++;
      start = end;
    }
    return new Kept(row, other, value, kept);
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
    List<int[]> codes = new ArrayList<>();
    int n = 0;
    StringIndex seen = new StringIndex(1024);
    while (batches.hasNext()) {
      ItemBatch b = batches.next();
      list.add(b);
      n += b.rating.length;
      codes.add(addAll(seen, b.itemTable));
    }
    String[] seenItems = seen.keys();
    int[] itemRank = sortedRanks(seenItems, null);
    String[] itemIds = byRank(seenItems, itemRank);
    // In user-block order, and each batch lists its users in local order: every item row then comes out in
    // gathered order and assemble has nothing left to sort.
    Integer[] order = new Integer[list.size()];
    for (int bi = 0; bi < order.length; bi++) {
      order[bi] = bi;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(list.get(x).userBlock, list.get(y).userBlock));
    int[] row = new int[n];
    int[] otherBlock = new int[n];
    int[] otherCode = new int[n];
    float[] value = new float[n];
    int o = 0;
    for (int bi : order) {
      ItemBatch b = list.get(bi);
      int[] local = translate(codes.get(bi), itemRank);
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
   * out-block. Linear in the number of ratings apart from sorting each row's short segment (three full sorts here
   * would be most of set-up's time).
   *
   * @param codeIds when not null, codes are unique across the other side's blocks (the user side numbers all the
   *     item ids it sees) and this gives the id of each code; the block then keeps the id of each gathered row.
   *     When null, codes are local indices within each other-side block and may repeat across blocks.
   */
  static SideBlock assemble(int block, String[] ids, int[] row, int[] otherBlock, int[] otherCode, float[] value,
      int n, int numOtherBlocks, String[] codeIds) {
    // A global code per rating, ordered by (other block, code) within each block.
    int[] global = new int[n];
    int space;
    int[] blockOfGlobal;
    if (codeIds != null) {
      space = codeIds.length;
      blockOfGlobal = new int[space];
      for (int j = 0; j < n; j++) {
        blockOfGlobal[otherCode[j]] = otherBlock[j];
        global[j] = otherCode[j];
      }
    } else {
      int[] base = new int[numOtherBlocks + 1];
      for (int j = 0; j < n; j++) {
        base[otherBlock[j] + 1] = Math.max(base[otherBlock[j] + 1], otherCode[j] + 1);
      }
      for (int d = 0; d < numOtherBlocks; d++) {
        base[d + 1] += base[d];
      }
      space = base[numOtherBlocks];
      blockOfGlobal = new int[space];
      for (int d = 0; d < numOtherBlocks; d++) {
        Arrays.fill(blockOfGlobal, base[d], base[d + 1], d);
      }
      for (int j = 0; j < n; j++) {
        global[j] = base[otherBlock[j]] + otherCode[j];
      }
    }
    // Gathered rows: the used global codes, grouped by block, in code order within a block.
    boolean[] used = new boolean[space];
    for (int j = 0; j < n; j++) {
      used[global[j]] = true;
    }
    int[] srcOffset = new int[numOtherBlocks + 1];
    for (int g = 0; g < space; g++) {
      if (used[g]) {
        srcOffset[blockOfGlobal[g] + 1]++;
      }
    }
    for (int d = 0; d < numOtherBlocks; d++) {
      srcOffset[d + 1] += srcOffset[d];
    }
    int[] posOf = new int[space];
    int[] next = Arrays.copyOf(srcOffset, numOtherBlocks);
    String[] gatheredIds = codeIds == null ? null : new String[srcOffset[numOtherBlocks]];
    for (int g = 0; g < space; g++) {
      if (used[g]) {
        int p = next[blockOfGlobal[g]]++;
        posOf[g] = p;
        if (gatheredIds != null) {
          gatheredIds[p] = codeIds[g];
        }
      }
    }

    // CSR: bucket by row, then sort each row's entries by gathered position (value packed alongside).
    int numRows = ids.length;
    int[] rowPtr = new int[numRows + 1];
    for (int j = 0; j < n; j++) {
      rowPtr[row[j] + 1]++;
    }
    for (int r = 0; r < numRows; r++) {
      rowPtr[r + 1] += rowPtr[r];
    }
    long[] packed = new long[n];
    int[] fill = Arrays.copyOf(rowPtr, numRows);
    for (int j = 0; j < n; j++) {
      packed[fill[row[j]]++] = ((long) posOf[global[j]] << 32) | (Float.floatToRawIntBits(value[j]) & 0xffffffffL);
    }
    int[] pos = new int[n];
    float[] val = new float[n];
    for (int r = 0; r < numRows; r++) {
      if (!ascending(packed, rowPtr[r], rowPtr[r + 1])) {
        Arrays.sort(packed, rowPtr[r], rowPtr[r + 1]);
      }
    }
    for (int j = 0; j < n; j++) {
      pos[j] = (int) (packed[j] >>> 32);
      val[j] = Float.intBitsToFloat((int) packed[j]);
    }

    // Out-block: for each other-side block, the rows (ascending) with at least one rating there.
    int[] gatheredBlock = gatheredBlocks(srcOffset);
    int[] lastRow = new int[numOtherBlocks];
    Arrays.fill(lastRow, -1);
    int[] outCount = new int[numOtherBlocks];
    for (int r = 0; r < numRows; r++) {
      for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
        int d = gatheredBlock[pos[j]];
        if (lastRow[d] != r) {
          lastRow[d] = r;
          outCount[d]++;
        }
      }
    }
    int[][] outLocal = new int[numOtherBlocks][];
    for (int d = 0; d < numOtherBlocks; d++) {
      outLocal[d] = new int[outCount[d]];
    }
    Arrays.fill(lastRow, -1);
    int[] outFill = new int[numOtherBlocks];
    for (int r = 0; r < numRows; r++) {
      for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
        int d = gatheredBlock[pos[j]];
        if (lastRow[d] != r) {
          lastRow[d] = r;
          outLocal[d][outFill[d]++] = r;
        }
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

  private static boolean ascending(long[] a, int from, int to) {
    for (int j = from + 1; j < to; j++) {
      if (a[j - 1] > a[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * For each of {@code keys} (indexed by code), the position of the key in sorted order (the local index); with
   * {@code groupOf} (indexed by code), sorted by group first.
   */
  private static int[] sortedRanks(String[] keys, int[] groupOf) {
    Integer[] order = new Integer[keys.length];
    for (int c = 0; c < keys.length; c++) {
      order[c] = c;
    }
    if (groupOf == null) {
      Arrays.sort(order, (x, y) -> keys[x].compareTo(keys[y]));
    } else {
      Arrays.sort(order, (x, y) -> groupOf[x] != groupOf[y] ? Integer.compare(groupOf[x], groupOf[y])
          : keys[x].compareTo(keys[y]));
    }
    int[] rank = new int[keys.length];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r;
    }
    return rank;
  }

  private static String[] byRank(String[] keys, int[] rank) {
    String[] out = new String[keys.length];
    for (int c = 0; c < keys.length; c++) {
      out[rank[c]] = keys[c];
    }
    return out;
  }

  /**
   * The ids of {@code seen} as Java strings, by code. Bytes that are not valid UTF-8 decode with replacement
   * characters, so two such ids can become one string; they are then one id, as they would be had they been read as
   * strings, and {@code codes} (the batches' tables as codes of {@code seen}) are rewritten to the merged codes.
   */
  private static String[] asStrings(Utf8Index seen, List<int[]> codes) {
    String[] keys = seen.strings();
    boolean replaced = false;
    for (String k : keys) {
      replaced |= k.indexOf('\uFFFD') >= 0;
    }
    if (!replaced) {
      return keys;
    }
    StringIndex merged = new StringIndex(keys.length);
    int[] to = new int[keys.length];
    for (int c = 0; c < keys.length; c++) {
      to[c] = merged.add(keys[c]);
    }
    if (merged.size() == keys.length) {
      return keys;
    }
    for (int[] cs : codes) {
      for (int t = 0; t < cs.length; t++) {
        cs[t] = to[cs[t]];
      }
    }
    return merged.keys();
  }

  /** Adds every id of {@code table} to {@code index}; returns the code of each. */
  private static int[] addAll(StringIndex index, String[] table) {
    int[] codes = new int[table.length];
    for (int t = 0; t < table.length; t++) {
      codes[t] = index.add(table[t]);
    }
    return codes;
  }

  /** Codes to local indices. */
  private static int[] translate(int[] codes, int[] rank) {
    int[] out = new int[codes.length];
    for (int t = 0; t < codes.length; t++) {
      out[t] = rank[codes[t]];
    }
    return out;
  }
}
