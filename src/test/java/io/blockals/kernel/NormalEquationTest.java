package io.blockals.kernel;

import static io.blockals.Approx.assertArrayClose;
import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalEquationTest {

  // Hand case, k = 3, packed order (0,0) (0,1) (1,1) (0,2) (1,2) (2,2):
  //   a1 = (1, 2, 3), b1 = 1, c1 = 1:  a1 a1^T  -> [1, 2, 4, 3, 6, 9]
  //   a2 = (0, 1, -1), b2 = 2, c2 = 2: 2 a2 a2^T -> [0, 0, 2, 0, -2, 2]
  //   ata = [1, 2, 6, 3, 4, 11]
  //   atb = 1 * (1, 2, 3) + 2 * (0, 1, -1) = (1, 4, 1)
  private static final double[] HAND_ATA = {1, 2, 6, 3, 4, 11};
  private static final double[] HAND_ATB = {1, 4, 1};

  @Test
  void constructionOnHandComputedCaseWithAdd() {
    NormalEquation ne = new NormalEquation(3);
    ne.add(new float[] {9, 1, 2, 3}, 1, 1.0, 1.0); // offset 1 skips the 9
    ne.add(new float[] {0, 1, -1}, 0, 2.0, 2.0);
    assertThat(ne.k()).isEqualTo(3);
    assertArrayClose(ne.ata(), HAND_ATA, 0.0, "ata");
    assertArrayClose(ne.atb(), HAND_ATB, 0.0, "atb");
  }

  @Test
  void constructionOnHandComputedCaseWithDoubleAddAndAddRows() {
    NormalEquation viaAdd = new NormalEquation(3);
    viaAdd.add(new double[] {1, 2, 3}, 0, 1.0, 1.0);
    viaAdd.add(new double[] {0, 1, -1}, 0, 2.0, 2.0);
    assertArrayClose(viaAdd.ata(), HAND_ATA, 0.0, "ata via add(double[])");
    assertArrayClose(viaAdd.atb(), HAND_ATB, 0.0, "atb via add(double[])");

    NormalEquation viaRows = new NormalEquation(3);
    viaRows.addRows(new double[] {1, 2, 3, 0, 1, -1}, 2, new double[] {1, 2}, new double[] {1, 2});
    assertArrayClose(viaRows.ata(), HAND_ATA, 0.0, "ata via addRows");
    assertArrayClose(viaRows.atb(), HAND_ATB, 0.0, "atb via addRows");
  }

  @Test
  void twoByTwoWithThreeWeightedRows() {
    // a1 = (1, 2), b = 3, c = 2;  a2 = (3, -1), b = 1, c = 1;  a3 = (0, 4), b = -2, c = 0.5
    // (0,0) = 2*1 + 1*9 + 0.5*0 = 11;  (0,1) = 2*2 + 1*(-3) + 0.5*0 = 1;  (1,1) = 2*4 + 1*1 + 0.5*16 = 17
    // atb = 3*(1,2) + 1*(3,-1) - 2*(0,4) = (6, -3)
    double[] rows = {1, 2, 3, -1, 0, 4};
    double[] b = {3, 1, -2};
    double[] c = {2, 1, 0.5};
    NormalEquation ne = new NormalEquation(2);
    ne.addRows(rows, 3, b, c);
    assertArrayClose(ne.ata(), new double[] {11, 1, 17}, 0.0, "ata");
    assertArrayClose(ne.atb(), new double[] {6, -3}, 0.0, "atb");
  }

  @Test
  void addRowsWithNullWeightsMeansOne() {
    // (1,2) and (3,-1) with unit weights: (0,0) = 1 + 9 = 10, (0,1) = 2 - 3 = -1, (1,1) = 4 + 1 = 5
    NormalEquation ne = new NormalEquation(2);
    ne.addRows(new double[] {1, 2, 3, -1}, 2, new double[] {1, 1}, null);
    assertArrayClose(ne.ata(), new double[] {10, -1, 5}, 0.0, "ata");
    assertArrayClose(ne.atb(), new double[] {4, 1}, 0.0, "atb");
  }

  @Test
  void mergeAddsAndResetClears() {
    NormalEquation first = new NormalEquation(3);
    first.add(new float[] {1, 2, 3}, 0, 1.0, 1.0);
    NormalEquation second = new NormalEquation(3);
    second.add(new float[] {0, 1, -1}, 0, 2.0, 2.0);
    first.merge(second);
    assertArrayClose(first.ata(), HAND_ATA, 0.0, "merged ata");
    assertArrayClose(first.atb(), HAND_ATB, 0.0, "merged atb");

    first.reset();
    assertThat(first.ata()).containsOnly(0.0);
    assertThat(first.atb()).containsOnly(0.0);
    first.add(new float[] {1, 2, 3}, 0, 1.0, 1.0);
    assertArrayClose(first.ata(), new double[] {1, 2, 4, 3, 6, 9}, 0.0, "ata after reset");
  }

  @Test
  void addPackedAddsElementwise() {
    NormalEquation ne = new NormalEquation(2);
    ne.add(new float[] {1, 2}, 0, 0.0, 1.0); // [1, 2, 4]
    ne.addPacked(new double[] {0.5, -1, 3});
    assertArrayClose(ne.ata(), new double[] {1.5, 1, 7}, 0.0, "ata");
    assertThat(ne.atb()).containsOnly(0.0);
  }

  @Test
  void addRowsEqualsRepeatedAddOnRandomData() {
    Random rnd = new Random(42);
    for (int k : new int[] {1, 3, 10, 64}) {
      for (int n : new int[] {1, 7, 500}) {
        for (boolean weighted : new boolean[] {false, true}) {
          double[] rows = new double[n * k];
          float[] frows = new float[n * k];
          for (int i = 0; i < rows.length; i++) {
            frows[i] = (float) rnd.nextGaussian();
            rows[i] = frows[i];
          }
          double[] b = new double[n];
          double[] c = weighted ? new double[n] : null;
          for (int r = 0; r < n; r++) {
            b[r] = rnd.nextGaussian();
            if (weighted) {
              c[r] = r % 5 == 0 ? 0.0 : 1 + 40 * rnd.nextDouble();
            }
          }
          NormalEquation expected = new NormalEquation(k);
          NormalEquation actual = new NormalEquation(k);
          // Start both from the same non-empty state and call addRows twice, so a scratch that is not cleared
          // between calls or a fold that overwrites instead of adding would show.
          expected.add(frows, 0, 0.25, 3.0);
          actual.add(frows, 0, 0.25, 3.0);
          for (int rep = 0; rep < 2; rep++) {
            for (int r = 0; r < n; r++) {
              expected.add(frows, r * k, b[r], weighted ? c[r] : 1.0);
            }
            actual.addRows(rows, n, b, c);
          }
          assertSameEquations(actual, expected, "k=" + k + " n=" + n + " weighted=" + weighted);
        }
      }
    }
  }

  @Test
  void indexedAddRowsOnTheHandCaseReadsRowsWhereTheyLie() {
    // the two rows of the hand case at rows 2 and 0 of a table, with a decoy at row 1 and row 0 used twice below
    double[] table = {0, 1, -1, 7, 7, 7, 1, 2, 3};
    NormalEquation ne = new NormalEquation(3);
    ne.addRows(table, new int[] {5, 2, 0, 5}, 1, 2, new double[] {1, 2}, new double[] {1, 2});
    assertArrayClose(ne.ata(), HAND_ATA, 0.0, "ata");
    assertArrayClose(ne.atb(), HAND_ATB, 0.0, "atb");
  }

  @Test
  void indexedAddRowsEqualsAddRowsOnTheGatheredCopy() {
    Random rnd = new Random(5);
    // n: not a multiple of the 4-row blocking; and across the groups of TOUCH rows the kernel pulls into the cache
    // before it adds them, ending in a short group
    for (int k : new int[] {1, 3, 11, 64}) {
      for (int n : new int[] {37, 64, 131}) {
        checkIndexedRows(rnd, k, n, 50);
      }
    }
  }

  @Test
  void tablesPastTheTouchThresholdGiveTheSameEquations() {
    // Only tables larger than TOUCH_MIN_BYTES get the pass that pulls rows into the cache first; it reads up to each
    // row's last value, and the last row of the table is among the picks.
    Random rnd = new Random(13);
    for (int k : new int[] {11, 33}) {
      int doubleRows = (int) (NormalEquation.TOUCH_MIN_BYTES / (8L * k)) + 1;
      checkIndexedRows(rnd, k, 131, doubleRows);
      int stride = NormalEquation.fastStride(k);
      int floatRows = (int) (NormalEquation.TOUCH_MIN_BYTES / (4L * stride)) + 1;
      checkFloatRows(rnd, k, stride, 131, true, floatRows);
    }
  }

  private static void checkIndexedRows(Random rnd, int k, int n, int tableRows) {
    double[] table = new double[tableRows * k];
    for (int t = 0; t < table.length; t++) {
      table[t] = rnd.nextGaussian();
    }
    int[] pos = new int[n + 3];
    double[] copy = new double[n * k];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int t = 0; t < n; t++) {
      pos[t + 3] = t == n / 2 ? tableRows - 1 : rnd.nextInt(tableRows);
      System.arraycopy(table, pos[t + 3] * k, copy, t * k, k);
      b[t] = rnd.nextGaussian();
      c[t] = rnd.nextDouble() * 3;
    }
    NormalEquation indexed = new NormalEquation(k);
    indexed.addRows(table, pos, 3, n, b, c);
    NormalEquation copied = new NormalEquation(k);
    copied.addRows(copy, n, b, c);
    // the same arithmetic in the same order: identical, not just close
    assertThat(indexed.ata()).as("ata, k = %d, n = %d", k, n).containsExactly(copied.ata());
    assertThat(indexed.atb()).as("atb, k = %d, n = %d", k, n).containsExactly(copied.atb());
  }

  @Test
  void indexedAddRowsRejectsPositionsOutsideTheTable() {
    NormalEquation ne = new NormalEquation(2);
    double[] table = new double[6];
    assertThatThrownBy(() -> ne.addRows(table, new int[] {0, 3}, 0, 2, new double[2], null))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ne.addRows(table, new int[] {0, 1}, 1, 2, new double[2], null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside pos");
    assertThatThrownBy(() -> ne.addRows(table, new int[] {0, -1}, 0, 2, new double[2], null))
        .isInstanceOf(IndexOutOfBoundsException.class);
    // the same on the engine's float path (the vector kernel's): rank 3 in rows of fastStride, a table of two rows
    int stride = NormalEquation.fastStride(3);
    NormalEquation v = new NormalEquation(3);
    assertThatThrownBy(() -> v.addRows(new float[2 * stride], stride, new int[] {1, 2}, 0, 2, new double[2], null))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> v.addRows(new float[8], 2, new int[] {0}, 0, 1, new double[1], null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride 2");
  }

  @Test
  void theVectorKernelRunsInTheTestJvm() {
    // The pom gives test JVMs --add-modules=jdk.incubator.vector, as conf/spark-defaults.conf gives Spark's JVMs, so
    // the engine's tests exercise the kernel a run uses. A machine without 256-bit vectors (or a JVM told
    // -Dblockals.kernel=scalar) runs the scalar kernel at every rank, with unpadded rows.
    if (!VectorKernel.hardwareSupported() || "scalar".equals(System.getProperty("blockals.kernel"))) {
      assertThat(NormalEquation.usesVectorKernel(11)).isFalse();
      assertThat(NormalEquation.kernelName(11)).startsWith("scalar");
      assertThat(NormalEquation.fastStride(11)).isEqualTo(11);
      assertThat(NormalEquation.fastStride(65)).isEqualTo(65);
      return;
    }
    assertThat(NormalEquation.kernelName(11)).startsWith("vector");
    assertThat(NormalEquation.usesVectorKernel(11)).isTrue();
    assertThat(NormalEquation.fastStride(11)).isEqualTo(12);
    assertThat(NormalEquation.kernelName(65)).startsWith("tiled");
    assertThat(NormalEquation.fastStride(65)).isEqualTo(68);
    assertThat(NormalEquation.kernelName(NormalEquation.TILED_MAX_K + 1)).startsWith("scalar");
    assertThat(NormalEquation.fastStride(NormalEquation.TILED_MAX_K + 1)).isEqualTo(NormalEquation.TILED_MAX_K + 1);
  }

  @Test
  void floatRowsGiveTheSameEquationsAsTheScalarKernel() {
    // The engine's float table, rows `fastStride(k)` apart (the vector kernel's layout when it is on; from k = 17 the
    // tiled kernel, whose 8 x 8 tiles and 32-rating panels the k and n here end inside of and run across), against the
    // scalar kernel on packed double copies. The padding after each row's k features holds
    // NaN: a lane past k that leaked into the result would show. Two calls from a non-empty start catch scratch that
    // is not cleared or a fold that overwrites.
    Random rnd = new Random(11);
    for (int k : new int[] {1, 2, 3, 4, 5, 7, 11, 16, 17, 24, 33, 48, 64, 65, 73}) {
      for (int stride : new int[] {NormalEquation.fastStride(k), k + 1}) {
        for (int n : new int[] {1, 3, 4, 37, 131, 300}) {
          for (boolean weighted : new boolean[] {false, true}) {
            checkFloatRows(rnd, k, stride, n, weighted, 40);
          }
        }
      }
    }
  }

  private static void checkFloatRows(Random rnd, int k, int stride, int n, boolean weighted, int tableRows) {
    float[] table = new float[tableRows * stride];
    java.util.Arrays.fill(table, Float.NaN);
    for (int t = 0; t < tableRows; t++) {
      for (int f = 0; f < k; f++) {
        table[t * stride + f] = (float) rnd.nextGaussian();
      }
    }
    int[] pos = new int[n + 2];
    double[] copy = new double[n * k];
    double[] b = new double[n];
    double[] c = weighted ? new double[n] : null;
    for (int t = 0; t < n; t++) {
      pos[t + 2] = t == n / 2 ? tableRows - 1 : rnd.nextInt(tableRows);
      for (int f = 0; f < k; f++) {
        copy[t * k + f] = table[pos[t + 2] * stride + f];
      }
      b[t] = rnd.nextGaussian();
      if (weighted) {
        c[t] = t % 5 == 0 ? 0.0 : 1 + 40 * rnd.nextDouble();
      }
    }
    NormalEquation expected = new NormalEquation(k);
    NormalEquation actual = new NormalEquation(k);
    double[] start = new double[k];
    java.util.Arrays.fill(start, 0.5);
    expected.add(start, 0, 0.25, 3.0);
    actual.add(start, 0, 0.25, 3.0);
    for (int rep = 0; rep < 2; rep++) {
      expected.addRows(copy, n, b, c);
      actual.addRows(table, stride, pos, 2, n, b, c);
    }
    assertSameEquations(actual, expected, "k=" + k + " stride=" + stride + " n=" + n + " weighted=" + weighted);
  }

  /** Equal to 1e-12 of the largest entry: the same sums, added in another order. */
  private static void assertSameEquations(NormalEquation actual, NormalEquation expected, String what) {
    double scale = 1.0 + Reference.maxAbs(expected.ata());
    for (int i = 0; i < expected.ata().length; i++) {
      assertClose(actual.ata()[i], expected.ata()[i], 1e-12 * scale, what + " ata[" + i + "]");
    }
    double bScale = 1.0 + Reference.maxAbs(expected.atb());
    for (int i = 0; i < expected.k(); i++) {
      assertClose(actual.atb()[i], expected.atb()[i], 1e-12 * bScale, what + " atb[" + i + "]");
    }
  }

  @Test
  void addRowsWithZeroRowsChangesNothing() {
    NormalEquation ne = new NormalEquation(2);
    ne.addRows(new double[0], 0, new double[0], null);
    assertThat(ne.ata()).containsOnly(0.0);
  }

  @Test
  void survivesSerialisationAndKeepsAccumulating() throws Exception {
    NormalEquation ne = new NormalEquation(2);
    ne.addRows(new double[] {1, 2}, 1, new double[] {1}, null); // [1, 2, 4], scratch now allocated
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ne);
    }
    NormalEquation copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (NormalEquation) in.readObject();
    }
    copy.addRows(new double[] {3, -1}, 1, new double[] {1}, null); // + [9, -3, 1]
    assertArrayClose(copy.ata(), new double[] {10, -1, 5}, 0.0, "ata");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new NormalEquation(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank k");
    assertThatThrownBy(() -> new NormalEquation(-3)).isInstanceOf(IllegalArgumentException.class);
    NormalEquation ne = new NormalEquation(2);
    assertThatThrownBy(() -> ne.add(new float[] {1, 2}, 0, 1.0, -1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c must be >= 0");
    assertThatThrownBy(() -> ne.add(new float[] {1, 2}, 0, 1.0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ne.add(new float[] {1, 2}, 1, 1.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    assertThatThrownBy(() -> ne.add(new double[] {1, 2}, -1, 1.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ne.addRows(new double[] {1, 2, 3}, 2, new double[] {1, 1}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n * k");
    assertThatThrownBy(() -> ne.addRows(new double[] {1, 2, 3, 4}, 2, new double[] {1}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b holds");
    assertThatThrownBy(() -> ne.addRows(new double[] {1, 2, 3, 4}, 2, new double[] {1, 1}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c holds");
    assertThatThrownBy(() -> ne.addRows(new double[] {1, 2, 3, 4}, 2, new double[] {1, 1}, new double[] {1, -2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c[1]");
    assertThatThrownBy(() -> ne.addRows(new double[] {1, 2}, -1, new double[] {1}, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ne.merge(new NormalEquation(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 3");
    assertThatThrownBy(() -> ne.addPacked(new double[4]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k * (k + 1) / 2 = 3");
    // A rejected call must leave the equation untouched.
    assertThat(ne.ata()).containsOnly(0.0);
    assertThat(ne.atb()).containsOnly(0.0);
  }

  @Test
  void theScalarKernelAddsRowsInGroupsOfFourBitForBit() {
    // The double-table kernel (ranks above the vector kernel's, or without it) adds rows four at a time into a
    // scratch triangle, t + (((s0 v0 + s1 v1) + s2 v2) + s3 v3), groups from the first row of each call, the rows
    // left over one at a time, then folds the scratch into ata. Any regrouping (passes of eight rows, say) must add
    // exactly that, so models do not change with the kernel.
    Random rnd = new Random(9);
    for (int k : new int[] {1, 5, 49, 64, 65}) {
      for (int n : new int[] {3, 4, 8, 12, 67, 135}) {
        for (boolean weighted : new boolean[] {false, true}) {
          int tableRows = 50;
          double[] table = new double[tableRows * k];
          for (int t = 0; t < table.length; t++) {
            table[t] = (float) rnd.nextGaussian();
          }
          int[] pos = new int[n + 2];
          for (int j = 0; j < pos.length; j++) {
            pos[j] = rnd.nextInt(tableRows);
          }
          double[] b = new double[n];
          double[] c = weighted ? new double[n] : null;
          for (int r = 0; r < n; r++) {
            b[r] = rnd.nextGaussian();
            if (weighted) {
              c[r] = 1 + 40 * rnd.nextDouble();
            }
          }
          NormalEquation actual = new NormalEquation(k);
          actual.addRows(table, pos, 2, n, b, c);
          double[][] t = new double[k][k];
          double[] g = new double[k];
          int r = 0;
          for (; r + 4 <= n; r += 4) {
            double[][] v = new double[4][];
            double[] w = new double[4];
            for (int q = 0; q < 4; q++) {
              v[q] = java.util.Arrays.copyOfRange(table, pos[2 + r + q] * k, pos[2 + r + q] * k + k);
              w[q] = weighted ? c[r + q] : 1.0;
            }
            for (int i = 0; i < k; i++) {
              double s0 = w[0] * v[0][i];
              double s1 = w[1] * v[1][i];
              double s2 = w[2] * v[2][i];
              double s3 = w[3] * v[3][i];
              for (int j = i; j < k; j++) {
                t[i][j] += s0 * v[0][j] + s1 * v[1][j] + s2 * v[2][j] + s3 * v[3][j];
              }
            }
            for (int j = 0; j < k; j++) {
              g[j] += b[r] * v[0][j] + b[r + 1] * v[1][j] + b[r + 2] * v[2][j] + b[r + 3] * v[3][j];
            }
          }
          for (; r < n; r++) {
            double[] v = java.util.Arrays.copyOfRange(table, pos[2 + r] * k, pos[2 + r] * k + k);
            double s = weighted ? c[r] : 1.0;
            for (int i = 0; i < k; i++) {
              for (int j = i; j < k; j++) {
                t[i][j] += s * v[i] * v[j];
              }
            }
            for (int j = 0; j < k; j++) {
              g[j] += b[r] * v[j];
            }
          }
          String what = "k=" + k + " n=" + n + " weighted=" + weighted;
          int p = 0;
          for (int j = 0; j < k; j++) {
            for (int i = 0; i <= j; i++) {
              assertThat(actual.ata()[p++]).as(what + " ata(" + i + "," + j + ")").isEqualTo(t[i][j]);
            }
            assertThat(actual.atb()[j]).as(what + " atb " + j).isEqualTo(g[j]);
          }
        }
      }
    }
  }
}
