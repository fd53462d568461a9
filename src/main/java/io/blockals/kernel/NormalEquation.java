package io.blockals.kernel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Accumulator of the normal equations of one ALS row: {@code ata = sum_j c_j y_j y_j^T} (packed upper triangle,
 * see the package documentation for the layout) and {@code atb = sum_j b_j y_j}.
 *
 * <p>Mutable and not thread-safe. The engine keeps one instance per task, fills it for a row, solves, and calls
 * {@link #reset()} before the next row; {@link #addRows} keeps its scratch space between calls for that reason.
 */
public final class NormalEquation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Largest rank whose packed triangle still fits into one Java array. */
  public static final int MAX_K = 46_340;

  /** Rows folded into the scratch triangle per pass of {@link #addRows}; 4 is what C2 still vectorises. */
  private static final int BLOCK = 4;
  /** 64-byte cache lines. */
  private static final int FLOATS_PER_LINE = 16;
  private static final int DOUBLES_PER_LINE = 8;

  /**
   * From this rank on, {@link TiledKernel} builds the equations where the vector module is there; below it
   * {@link VectorKernel}. JMH {@code addRowsStrided}, ns a rating, vector / tiled: k 10: 15 / 18, k 16: 23 / 24,
   * k 17: 31 / 31, k 24: 45 / 37, k 32: 75-90 / 51, k 48: 164 / 94. The system property exists to repeat that
   * comparison; runs leave it alone.
   */
  static final int TILED_MIN_K = Integer.getInteger("blockals.tiledMinK", 17);
  /** Above this rank the tiled kernel's square scratch ({@code 8 k^2} bytes, 128 MB here) is too large: scalar. */
  static final int TILED_MAX_K = 4096;
  private static final boolean VECTOR_ASKED_OFF = "scalar".equals(System.getProperty("blockals.kernel"));
  private static final boolean VECTOR = vectorUsable();

  private final int k;
  private final double[] ata;
  private final double[] atb;

  // Scratch of addRows: one array per row of the full upper triangle, because JDK 17's C2 only vectorises
  // "dst[j] += s * src[j]" when destination and source share the index, i.e. live in different arrays at offset 0.
  private transient double[][] tri;
  private transient double[] y0;
  private transient double[] y1;
  private transient double[] y2;
  private transient double[] y3;
  // Scratch of the vector kernel (a k x stride square) or of the tiled one (kq x kq), and the right-hand side.
  private transient double[] sq;
  private transient double[] sqb;
  // Panels of the tiled kernel: the gathered rows as doubles, and the same times their weights.
  private transient double[] panel;
  private transient double[] scaled;
  // What the kernels' touch passes read, kept where the JIT must assume it is used.
  private transient int touched;
  // Rows widened for the scalar kernel when a float table does not have the vector kernel's stride.
  private transient double[] stage;

  /**
   * @param k the rank, {@code 1 <= k <= MAX_K}
   * @throws IllegalArgumentException otherwise
   */
  public NormalEquation(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("rank k must be in [1, " + MAX_K + "] but was " + k);
    }
    this.k = k;
    this.ata = new double[k * (k + 1) / 2];
    this.atb = new double[k];
  }

  /** The dimension of the system. */
  public int k() {
    return k;
  }

  /**
   * Adds one observation: {@code ata += c * a a^T} and {@code atb += b * a} with {@code a = a[off .. off + k)}.
   *
   * @param c the weight (confidence), finite and {@code >= 0}
   * @throws IllegalArgumentException on a negative or NaN weight or a range outside {@code a}
   */
  public void add(float[] a, int off, double b, double c) {
    if (!(c >= 0.0)) {
      throw new IllegalArgumentException("weight c must be >= 0 but was " + c);
    }
    checkRange(a.length, off, "a");
    ensureScratch();
    // Widen once rather than in the k^2/2 inner loop.
    final double[] v = y0;
    for (int i = 0; i < k; i++) {
      v[i] = a[off + i];
    }
    rankOne(v, b, c);
  }

  /** The same as {@link #add(float[], int, double, double)} for a double vector. */
  public void add(double[] a, int off, double b, double c) {
    if (!(c >= 0.0)) {
      throw new IllegalArgumentException("weight c must be >= 0 but was " + c);
    }
    checkRange(a.length, off, "a");
    ensureScratch();
    System.arraycopy(a, off, y0, 0, k);
    rankOne(y0, b, c);
  }

  /** ata += c v v^T (packed column j is contiguous, as in dspr), atb += b v. */
  private void rankOne(double[] v, double b, double c) {
    int p = 0;
    for (int j = 0; j < k; j++) {
      double s = c * v[j];
      for (int i = 0; i <= j; i++) {
        ata[p + i] += s * v[i];
      }
      p += j + 1;
    }
    if (b != 0.0) {
      for (int i = 0; i < k; i++) {
        atb[i] += b * v[i];
      }
    }
  }

  /**
   * Adds {@code n} observations at once: {@code ata += sum_j c[j] y_j y_j^T} and {@code atb += sum_j b[j] y_j},
   * where {@code y_j = rows[j*k .. (j+1)*k)} (row-major {@code n x k}). Equal to {@code n} calls of {@code add} up
   * to rounding, and several times faster for {@code n >> 1}: four rows at a time are accumulated into a full
   * upper-triangle scratch whose rows are separate arrays (so the JIT vectorises the innermost loop), and the
   * scratch is folded into the packed triangle once at the end.
   *
   * @param rows at least {@code n * k} values
   * @param n the number of rows, {@code >= 0}
   * @param b at least {@code n} right-hand-side weights
   * @param c at least {@code n} weights {@code >= 0}, or {@code null} for all ones
   * @throws IllegalArgumentException on short arrays, a negative n or a negative / NaN weight
   */
  public void addRows(double[] rows, int n, double[] b, double[] c) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0 but was " + n);
    }
    if ((long) n * k > rows.length) {
      throw new IllegalArgumentException(
          "rows holds " + rows.length + " values but n * k = " + n + " * " + k + " are needed");
    }
    checkWeights(n, b, c);
    accumulate(rows, null, 0, n, b, c);
  }

  /**
   * The same as {@link #addRows(double[], int, double[], double[])} for rows picked out of a larger row-major
   * table: row {@code t} is {@code src[pos[from + t] * k .. + k)} and its weights are {@code b[t]} and {@code c[t]}.
   *
   * The engine's path above the vector kernel's ranks: the rows are read where they lie, with no per-rating copy.
   * Positions are not checked one by one (that showed in the solve's profile): the array accesses are.
   *
   * @throws IllegalArgumentException on a negative n, a range outside {@code pos}, short weight arrays or a negative /
   *     NaN weight
   * @throws IndexOutOfBoundsException for a position whose row lies outside {@code src}
   */
  public void addRows(double[] src, int[] pos, int from, int n, double[] b, double[] c) {
    checkRows(k, pos, from, n, b, c);
    accumulate(src, pos, from, n, b, c);
  }

  /**
   * The engine's path for ranks where {@link #usesVectorKernel(int)}: rows of floats (as the factors travel),
   * {@code stride} apart, widened as they are read. From rank {@link #TILED_MIN_K} on the tiled kernel runs at any
   * stride; below it, with {@code stride == } {@link #fastStride(int) fastStride(k)}, the vector kernel; otherwise
   * the rows are widened into a staging array for the scalar kernel.
   */
  public void addRows(float[] src, int stride, int[] pos, int from, int n, double[] b, double[] c) {
    checkRows(stride, pos, from, n, b, c);
    if (n == 0) {
      return;
    }
    if (usesTiledKernel(k)) {
      accumulateTiled(src, stride, pos, from, n, b, c);
      return;
    }
    if (usesVectorKernel(k) && stride == VectorKernel.stride(k)) {
      accumulateVector(src, stride, pos, from, n, b, c);
      return;
    }
    if (stage == null || stage.length < n * k) {
      stage = new double[Math.max(n, 64) * k];
    }
    for (int t = 0; t < n; t++) {
      int o = pos[from + t] * stride;
      for (int f = 0; f < k; f++) {
        stage[t * k + f] = src[o + f];
      }
    }
    accumulate(stage, null, 0, n, b, c);
  }

  private void checkRows(int stride, int[] pos, int from, int n, double[] b, double[] c) {
    if (n < 0 || from < 0 || (long) from + n > pos.length) {
      throw new IllegalArgumentException("rows [" + from + ", " + ((long) from + n) + ") are outside pos of length "
          + pos.length);
    }
    if (stride < k) {
      throw new IllegalArgumentException("stride " + stride + " is shorter than a row of k = " + k);
    }
    checkWeights(n, b, c);
  }

  /** Whether rank-k equations are built by a Vector API kernel in this JVM (from a float table). */
  public static boolean usesVectorKernel(int k) {
    return VECTOR && k <= TILED_MAX_K;
  }

  private static boolean usesTiledKernel(int k) {
    return VECTOR && k >= TILED_MIN_K && k <= TILED_MAX_K;
  }

  /**
   * The row stride a gathered table should have for rank k: k rounded up to whole 256-bit vectors when a Vector API
   * kernel builds rank k, else k.
   */
  public static int fastStride(int k) {
    return usesVectorKernel(k) ? VectorKernel.stride(k) : k;
  }

  /** Which kernel builds rank-k normal equations in this JVM, and why, for the log. */
  public static String kernelName(int k) {
    if (VECTOR && k > TILED_MAX_K) {
      return "scalar (above rank " + TILED_MAX_K + " the tiled kernel's scratch is too large)";
    }
    if (VECTOR && k >= TILED_MIN_K) {
      return "tiled (jdk.incubator.vector, 256-bit, 8 x 8 tiles in registers)";
    }
    return VECTOR ? "vector (jdk.incubator.vector, 256-bit)"
        : "scalar (" + (VECTOR_ASKED_OFF ? "-Dblockals.kernel=scalar"
            : "this JVM lacks --add-modules=jdk.incubator.vector or 256-bit vectors") + ")";
  }

  private static boolean vectorUsable() {
    if (VECTOR_ASKED_OFF || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorKernel.hardwareSupported();
    } catch (LinkageError e) {
      return false;
    }
  }

  private void accumulateVector(float[] src, int stride, int[] pos, int from, int n, double[] b, double[] c) {
    if (sq == null) {
      sq = new double[k * stride];
      sqb = new double[stride];
    }
    touched ^= VectorKernel.accumulate(sq, sqb, k, stride, src, pos, from, n, b, c);
    int p = 0;
    for (int j = 0; j < k; j++) {
      for (int i = 0, a = j; i <= j; i++, a += stride) {
        ata[p++] += sq[a];
      }
      atb[j] += sqb[j];
    }
    Arrays.fill(sq, 0.0);
    Arrays.fill(sqb, 0.0);
  }

  private void accumulateTiled(float[] src, int stride, int[] pos, int from, int n, double[] b, double[] c) {
    int kq = TiledKernel.width(k);
    if (sq == null || sq.length != kq * kq) {
      sq = new double[kq * kq];
      sqb = new double[kq];
      panel = new double[TiledKernel.PANEL * kq];
    }
    if (c != null && scaled == null) {
      scaled = new double[TiledKernel.PANEL * kq];
    }
    touched ^= TiledKernel.accumulate(sq, sqb, k, src, stride, pos, from, n, b, c, panel, scaled);
    // Fold the upper triangle into the packed one, clearing every entry the tiles wrote (a diagonal tile's reach
    // below the diagonal too) for the next call.
    for (int i = 0; i < k; i++) {
      int row = i * kq;
      for (int j = i, p = i + i * (i + 1) / 2; j < k; p += ++j) {
        ata[p] += sq[row + j];
      }
      Arrays.fill(sq, row + i / TiledKernel.TILE * TiledKernel.TILE, row + kq, 0.0);
      atb[i] += sqb[i];
    }
    Arrays.fill(sq, k * kq, kq * kq, 0.0);
    Arrays.fill(sqb, 0.0);
  }

  private static void checkWeights(int n, double[] b, double[] c) {
    if (b.length < n) {
      throw new IllegalArgumentException("b holds " + b.length + " values but n = " + n);
    }
    if (c != null) {
      if (c.length < n) {
        throw new IllegalArgumentException("c holds " + c.length + " values but n = " + n);
      }
      for (int r = 0; r < n; r++) {
        if (!(c[r] >= 0.0)) {
          throw new IllegalArgumentException("weight c[" + r + "] must be >= 0 but was " + c[r]);
        }
      }
    }
  }

  /**
   * Rows read at random from a table are first pulled into the cache, this many at a time, by a pass that does
   * nothing else ({@link #touch}). The arithmetic of four rows is longer than the core's reorder window, so rows read
   * only inside it arrive one group at a time: once the table has outgrown the caches (12 MB of user rows at 10M
   * ratings) each group waits a whole memory latency. The touch pass has a few instructions per row, so tens of its
   * misses are in flight together; 64 rows of rank 11 are at most 128 lines, inside L1.
   */
  static final int TOUCH = 64;

  /**
   * Tables up to this size are read without the touch pass: they stay in the cache (L2 is 1-2 MB a core on current
   * x86 servers), where a pass would only add work (a float-sum pass: 14.5 -> 17-18 ns a rating at rank 10 and 20k
   * rows); from ~5 MB on it saves ~20-30 ns (44-63 -> 24-28 ns at 250k rows; {@code GatherBench}).
   */
  public static final long TOUCH_MIN_BYTES = 2L << 20;

  /**
   * Reads one value in each cache line of rows {@code pos[from .. from+n)} (k values each, {@code stride} apart), plus
   * each row's last value, so the rows are in the cache when the arithmetic reaches them. The values are combined by
   * XOR of their bits, in two chains: a floating-point sum would make each row wait for the previous row's addition.
   *
   * @return the combined bits, for the caller to keep so the JIT cannot drop the reads
   */
  static int touch(float[] src, int stride, int k, int[] pos, int from, int n) {
    int first = 0;
    int rest = 0;
    for (int r = from; r < from + n; r++) {
      int o = pos[r] * stride;
      first ^= Float.floatToRawIntBits(src[o]);
      for (int f = FLOATS_PER_LINE; f < k; f += FLOATS_PER_LINE) {
        rest ^= Float.floatToRawIntBits(src[o + f]);
      }
      rest ^= Float.floatToRawIntBits(src[o + k - 1]);
    }
    return first ^ rest;
  }

  /** {@link #touch(float[], int, int, int[], int, int)} for a table of doubles, rows k apart. */
  static int touch(double[] src, int k, int[] pos, int from, int n) {
    long first = 0;
    long rest = 0;
    for (int r = from; r < from + n; r++) {
      int o = pos[r] * k;
      first ^= Double.doubleToRawLongBits(src[o]);
      for (int f = DOUBLES_PER_LINE; f < k; f += DOUBLES_PER_LINE) {
        rest ^= Double.doubleToRawLongBits(src[o + f]);
      }
      rest ^= Double.doubleToRawLongBits(src[o + k - 1]);
    }
    return (int) (first ^ rest);
  }

  /** Rows at {@code src[(pos == null ? r : pos[from + r]) * k]}, four per pass into the scratch triangle. */
  private void accumulate(double[] src, int[] pos, int from, int n, double[] b, double[] c) {
    if (n == 0) {
      return;
    }
    ensureScratch();
    ensureTriangle();
    final double[][] t = tri;
    final double[] v0 = y0;
    final double[] v1 = y1;
    final double[] v2 = y2;
    final double[] v3 = y3;
    final double[] g = atb;
    final boolean touch = pos != null && 8L * src.length > TOUCH_MIN_BYTES;
    int r = 0;
    for (int start = 0; start < n; start += TOUCH) {
      int end = Math.min(n, start + TOUCH);
      if (touch) {
        touched ^= touch(src, k, pos, from + start, end - start);
      }
      // TOUCH is a multiple of BLOCK: only the last group leaves rows for the loop after this one.
      for (; r + BLOCK <= end; r += BLOCK) {
        if (pos == null) {
          int o = r * k;
          System.arraycopy(src, o, v0, 0, k);
          System.arraycopy(src, o + k, v1, 0, k);
          System.arraycopy(src, o + 2 * k, v2, 0, k);
          System.arraycopy(src, o + 3 * k, v3, 0, k);
        } else {
          System.arraycopy(src, pos[from + r] * k, v0, 0, k);
          System.arraycopy(src, pos[from + r + 1] * k, v1, 0, k);
          System.arraycopy(src, pos[from + r + 2] * k, v2, 0, k);
          System.arraycopy(src, pos[from + r + 3] * k, v3, 0, k);
        }
        double c0 = c == null ? 1.0 : c[r];
        double c1 = c == null ? 1.0 : c[r + 1];
        double c2 = c == null ? 1.0 : c[r + 2];
        double c3 = c == null ? 1.0 : c[r + 3];
        for (int i = 0; i < k; i++) {
          double s0 = c0 * v0[i];
          double s1 = c1 * v1[i];
          double s2 = c2 * v2[i];
          double s3 = c3 * v3[i];
          double[] ti = t[i];
          for (int j = i; j < k; j++) {
            ti[j] += s0 * v0[j] + s1 * v1[j] + s2 * v2[j] + s3 * v3[j];
          }
        }
        double b0 = b[r];
        double b1 = b[r + 1];
        double b2 = b[r + 2];
        double b3 = b[r + 3];
        for (int j = 0; j < k; j++) {
          g[j] += b0 * v0[j] + b1 * v1[j] + b2 * v2[j] + b3 * v3[j];
        }
      }
    }
    for (; r < n; r++) {
      System.arraycopy(src, (pos == null ? r : pos[from + r]) * k, v0, 0, k);
      double c0 = c == null ? 1.0 : c[r];
      for (int i = 0; i < k; i++) {
        double s0 = c0 * v0[i];
        double[] ti = t[i];
        for (int j = i; j < k; j++) {
          ti[j] += s0 * v0[j];
        }
      }
      double b0 = b[r];
      for (int j = 0; j < k; j++) {
        g[j] += b0 * v0[j];
      }
    }
    // Fold into the packed triangle and clear the scratch for the next call.
    int p = 0;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i <= j; i++) {
        double[] ti = t[i];
        ata[p++] += ti[j];
        ti[j] = 0.0;
      }
    }
  }

  /**
   * Adds another equation of the same rank (e.g. partial sums from two blocks).
   *
   * @throws IllegalArgumentException if the ranks differ
   */
  public void merge(NormalEquation other) {
    if (other.k != k) {
      throw new IllegalArgumentException("cannot merge a rank " + other.k + " equation into a rank " + k + " one");
    }
    for (int i = 0; i < ata.length; i++) {
      ata[i] += other.ata[i];
    }
    for (int i = 0; i < k; i++) {
      atb[i] += other.atb[i];
    }
  }

  /**
   * Adds a packed upper-triangular {@code k x k} matrix to {@code ata}, e.g. {@code Y^T Y} in implicit-feedback
   * ALS.
   *
   * @throws IllegalArgumentException if the array does not hold exactly {@code k * (k + 1) / 2} values
   */
  public void addPacked(double[] packedUpper) {
    if (packedUpper.length != ata.length) {
      throw new IllegalArgumentException("packed matrix must hold k * (k + 1) / 2 = " + ata.length
          + " values for k = " + k + " but holds " + packedUpper.length);
    }
    for (int i = 0; i < ata.length; i++) {
      ata[i] += packedUpper[i];
    }
  }

  /** Clears {@code ata} and {@code atb} for the next row; the scratch space is kept. */
  public void reset() {
    Arrays.fill(ata, 0.0);
    Arrays.fill(atb, 0.0);
  }

  /**
   * The live packed upper triangle of {@code ata} (not a copy): {@code (i, j)}, {@code i <= j}, is at index
   * {@code i + j * (j + 1) / 2}.
   */
  public double[] ata() {
    return ata;
  }

  /** The live right-hand side {@code atb} (not a copy), of length {@code k}. */
  public double[] atb() {
    return atb;
  }

  private void ensureScratch() {
    if (y0 == null) {
      y0 = new double[k];
      y1 = new double[k];
      y2 = new double[k];
      y3 = new double[k];
    }
  }

  private void ensureTriangle() {
    if (tri == null) {
      tri = new double[k][k];
    }
  }

  private void checkRange(int length, int off, String what) {
    if (off < 0 || (long) off + k > length) {
      throw new IllegalArgumentException(
          what + "[" + off + " .. " + ((long) off + k) + ") is outside an array of length " + length);
    }
  }
}
