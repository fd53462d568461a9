package io.blockals.engine;

/**
 * Sorts a {@code long[]} of keys together with an {@code int[]} payload, without boxing. Set-up sorts millions of
 * (row, column) keys per block; a comparator over {@code Integer} indices would allocate and be several times slower.
 * The sort is stable (a merge sort), so equal keys keep their payload order.
 */
final class LongIntSort {
  private LongIntSort() {}

  static void sort(long[] keys, int[] payload, int n) {
    if (n < 2) {
      return;
    }
    long[] kTmp = new long[n];
    int[] pTmp = new int[n];
    // Bottom-up: insertion-sort runs of 32, then merge runs of doubling width, ping-ponging between buffers.
    final int run = 32;
    for (int lo = 0; lo < n; lo += run) {
      insertion(keys, payload, lo, Math.min(n, lo + run));
    }
    long[] srcK = keys;
    int[] srcP = payload;
    long[] dstK = kTmp;
    int[] dstP = pTmp;
    for (int width = run; width < n; width <<= 1) {
      for (int lo = 0; lo < n; lo += width << 1) {
        int mid = Math.min(n, lo + width);
        int hi = Math.min(n, lo + (width << 1));
        int i = lo;
        int j = mid;
        int o = lo;
        while (i < mid && j < hi) {
          if (srcK[j] < srcK[i]) {
            dstK[o] = srcK[j];
            dstP[o++] = srcP[j++];
          } else {
            dstK[o] = srcK[i];
            dstP[o++] = srcP[i++];
          }
        }
        while (i < mid) {
          dstK[o] = srcK[i];
          dstP[o++] = srcP[i++];
        }
        while (j < hi) {
          dstK[o] = srcK[j];
          dstP[o++] = srcP[j++];
        }
      }
      long[] tk = srcK;
      srcK = dstK;
      dstK = tk;
      int[] tp = srcP;
      srcP = dstP;
      dstP = tp;
    }
    if (srcK != keys) {
      System.arraycopy(srcK, 0, keys, 0, n);
      System.arraycopy(srcP, 0, payload, 0, n);
    }
  }

  private static void insertion(long[] k, int[] p, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
      long key = k[i];
      int pay = p[i];
      int j = i - 1;
      while (j >= lo && k[j] > key) {
        k[j + 1] = k[j];
        p[j + 1] = p[j];
        j--;
      }
      k[j + 1] = key;
      p[j + 1] = pay;
    }
  }
}
