package io.blockals.engine;

import io.blockals.kernel.LaneSolver;
import io.blockals.kernel.LeastSquaresSolver;
import io.blockals.kernel.NormalEquation;
import java.util.Iterator;

/**
 * One half-iteration for one block, in plain Java, in four parts: gather the received factor rows into one table
 * ({@link #gather}), build each local row's normal equation ({@link Builder}), solve it ({@link #solveRows}), and
 * optionally add up the training objective over this block's rows with the new factors ({@link #rowLoss}), which
 * after an iteration's last half is the objective of the whole model. Fold-in ({@link FoldIn}) reuses the build and
 * solve parts on a table of fixed factors.
 */
final class HalfStep {
  /** Rows are added to the normal equation in chunks so a very popular item does not need a huge scratch array. */
  static final int CHUNK = 2048;

  private HalfStep() {}

  /** The messages a block sends: its rows for each destination, plus its YᵀY share and reg term. */
  static FactorMessage[] messages(FactorBlock factors, SideBlock block, AlsParams s) {
    int dim = s.dim();
    double[] yty = s.implicit() ? gram(factors.values, factors.numRows(), dim) : null;
    int numDst = block.outLocal.length;
    FactorMessage[] out = new FactorMessage[numDst];
    for (int d = 0; d < numDst; d++) {
      int[] rows = block.outLocal[d];
      float[] data = new float[rows.length * dim];
      for (int t = 0; t < rows.length; t++) {
        System.arraycopy(factors.values, rows[t] * dim, data, t * dim, dim);
      }
      out[d] = new FactorMessage(block.block, data, yty, d == 0 ? factors.regTerm : 0.0);
    }
    return out;
  }

  /**
   * Solves every row of {@code block} from the received messages: {@link #gather} the other side's rows into one
   * table, then {@link #solveRows} (build each row's normal equation, solve it, add up its loss terms).
   *
   * @param globalMean mu, subtracted from every rating when biases are on
   * @param previous this block's factors from the previous iteration, or null; an iterative solver (CG) starts from
   *     them, which is where the solution is after the first few iterations
   */
  static FactorBlock solve(SideBlock block, Iterator<FactorMessage> received, AlsParams s, double globalMean,
      boolean computeLoss, FactorBlock previous) {
    Gathered g = gather(block, received, s);
    double[] terms = new double[2];
    float[] out = solveRows(block.numRows(), block.rowPtr, block.pos, block.value, g, s, globalMean, computeLoss,
        previous == null ? null : previous.values, terms);
    return new FactorBlock(block.block, s.dim(), out, terms[0], terms[1], g.otherReg);
  }

  /**
   * The other side's rows in one table, as the normal equations read them. With the vector kernel it holds floats
   * (as the rows travel; the kernel widens them as it reads, and half the bytes matter once the table outgrows the
   * caches), rows rounded up to whole vectors; otherwise doubles, widened here once per half-step rather than once
   * per rating, {@code dim} apart (then stride == dim). With biases the slot after the features holds 1.0 (the bias
   * column of the least-squares row) and the other side's bias moves to its own array, so each rating's row can be
   * added straight from the table.
   */
  static final class Gathered {
    final int rank;
    final int dim;
    final int stride;
    final boolean floats;
    final float[] rowsF;
    final double[] rows;
    /** The other side's biases, by gathered row; null without biases. */
    final double[] otherBias;
    /** Packed YᵀY of the whole other side (implicit feedback only, else null). */
    final double[] yty;
    /** The other side's reg term, forwarded so an iteration's last half alone reports the whole objective. */
    double otherReg;

    Gathered(int numRows, AlsParams s, double[] yty) {
      rank = s.rank();
      dim = s.dim();
      stride = NormalEquation.fastStride(dim);
      floats = NormalEquation.usesVectorKernel(dim);
      rowsF = floats ? new float[numRows * stride] : null;
      rows = floats ? null : new double[numRows * stride];
      otherBias = s.biases() ? new double[numRows] : null;
      this.yty = yty;
    }

    /**
     * Puts gathered row {@code row}: the features {@code src[from .. from + rank)} and, with biases, {@code bias}
     * (1.0 goes into the table's bias column).
     */
    void put(int row, float[] src, int from, float bias) {
      int to = row * stride;
      if (floats) {
        System.arraycopy(src, from, rowsF, to, rank);
      } else {
        for (int f = 0; f < rank; f++) {
          rows[to + f] = src[from + f];
        }
      }
      if (otherBias != null) {
        otherBias[row] = bias;
        if (floats) {
          rowsF[to + rank] = 1.0f;
        } else {
          rows[to + rank] = 1.0;
        }
      }
    }
  }

  /**
   * The gather part: the rows each block of the other side sent, in source-block order, with their YᵀY shares
   * summed (in source-block order, not arrival order, so the result is the same on every run) and their reg terms.
   *
   * @throws IllegalStateException when a source block sent nothing, twice, or a message of the wrong size
   */
  static Gathered gather(SideBlock block, Iterator<FactorMessage> received, AlsParams s) {
    int dim = s.dim();
    int rank = s.rank();
    int numSrc = block.srcOffset.length - 1;
    Gathered g = new Gathered(block.numGathered(), s, s.implicit() ? new double[dim * (dim + 1) / 2] : null);
    double[][] ytyParts = s.implicit() ? new double[numSrc][] : null;
    boolean[] got = new boolean[numSrc];
    while (received.hasNext()) {
      FactorMessage m = received.next();
      int first = block.srcOffset[m.srcBlock];
      int expected = (block.srcOffset[m.srcBlock + 1] - first) * dim;
      if (got[m.srcBlock] || m.rows.length != expected) {
        throw new IllegalStateException("block " + block.block + ": message from block " + m.srcBlock
            + (got[m.srcBlock] ? " received twice" : " has " + m.rows.length + " values, expected " + expected));
      }
      got[m.srcBlock] = true;
      for (int row = 0, from = 0; from < m.rows.length; row++, from += dim) {
        g.put(first + row, m.rows, from, g.otherBias != null ? m.rows[from + rank] : 0f);
      }
      if (ytyParts != null) {
        ytyParts[m.srcBlock] = m.yty;
      }
      g.otherReg += m.regTerm;
    }
    for (int src = 0; src < numSrc; src++) {
      if (!got[src]) {
        throw new IllegalStateException("block " + block.block + ": no message from block " + src);
      }
      if (ytyParts != null) {
        double[] part = ytyParts[src];
        for (int t = 0; t < g.yty.length; t++) {
          g.yty[t] += part[t];
        }
      }
    }
    return g;
  }

  /**
   * The build-and-solve part: every row of a CSR ({@code rowPtr}, {@code pos} into the gathered table,
   * {@code value}) gets its normal equation built ({@link Builder}) and solved, a few at a time where the solver
   * allows (one system per vector lane, the same results as one by one), otherwise one at a time. Either way rows are
   * finished, and their terms added up, in row order. A row without ratings stays 0.
   *
   * @param previous the rows' factors from the previous iteration ({@code n * dim}), or null to start from 0
   * @param terms {@code terms[0]} gets the squared errors (with {@code computeLoss}), {@code terms[1]} the reg terms
   * @return {@code n * dim} floats, each row's features followed by its bias with biases on
   */
  static float[] solveRows(int n, int[] rowPtr, int[] pos, float[] value, Gathered g, AlsParams s,
      double globalMean, boolean computeLoss, float[] previous, double[] terms) {
    int dim = s.dim();
    float[] out = new float[n * dim];
    LeastSquaresSolver solver = s.solverSpec().newSolver();
    LaneSolver lanes = LaneSolver.standingFor(solver, dim);
    int width = lanes == null ? 1 : LaneSolver.WIDTH;
    NormalEquation[] nes = new NormalEquation[width];
    double[][] xs = new double[width][dim];
    for (int q = 0; q < width; q++) {
      nes[q] = new NormalEquation(dim);
    }
    int[] rowOf = new int[width];
    double[] lambdaOf = new double[width];
    double[] bSqOf = new double[width];
    int maxLen = 0;
    for (int r = 0; r < n; r++) {
      maxLen = Math.max(maxLen, rowPtr[r + 1] - rowPtr[r]);
    }
    Builder builder = new Builder(g, s, globalMean, Math.min(CHUNK, Math.max(1, maxLen)));
    int pending = 0;
    for (int r = 0; r < n; r++) {
      int from = rowPtr[r];
      int to = rowPtr[r + 1];
      if (to == from) {
        continue;
      }
      int counted = builder.build(nes[pending], pos, value, from, to);
      double[] x = xs[pending];
      if (previous != null) {
        for (int f = 0; f < dim; f++) {
          x[f] = previous[r * dim + f];
        }
      } else {
        java.util.Arrays.fill(x, 0.0);
      }
      rowOf[pending] = r;
      lambdaOf[pending] = s.regParam() * counted;
      bSqOf[pending] = builder.bSq;
      pending++;
      if (pending == width) {
        finish(pending, lanes, solver, nes, xs, rowOf, lambdaOf, bSqOf, out, s, computeLoss, terms);
        pending = 0;
      }
    }
    if (pending > 0) {
      finish(pending, lanes, solver, nes, xs, rowOf, lambdaOf, bSqOf, out, s, computeLoss, terms);
    }
    return out;
  }

  /**
   * The build part: one row's normal equation from its ratings and the gathered table. Explicit feedback: target
   * {@code r - mu - the other side's bias} (with biases), weight 1. Implicit: confidence {@code alpha |r|}, target
   * {@code 1 + confidence} for a positive rating (0 otherwise), plus YᵀY. Rows are added {@link #CHUNK} ratings at a
   * time so a very popular item does not need a huge scratch array.
   */
  static final class Builder {
    private final Gathered g;
    private final AlsParams s;
    private final double mu;
    private final int chunk;
    private final double[] b;
    private final double[] c;
    /** b'b (explicit) or sum c p^2 (implicit) of the row last built: {@link #rowLoss} needs it. */
    double bSq;

    Builder(Gathered g, AlsParams s, double globalMean, int chunk) {
      this.g = g;
      this.s = s;
      this.mu = s.biases() ? globalMean : 0.0;
      this.chunk = chunk;
      this.b = new double[chunk];
      this.c = s.implicit() ? new double[chunk] : null;
    }

    /**
     * Resets {@code ne} and adds ratings {@code from .. to}; returns the count the regularisation is weighted by
     * (ALS-WR: all ratings; implicit: the positive ones).
     */
    int build(NormalEquation ne, int[] pos, float[] value, int from, int to) {
      ne.reset();
      int counted = 0;
      double sq = 0;
      for (int start = from; start < to; start += chunk) {
        int len = Math.min(chunk, to - start);
        if (s.implicit()) {
          for (int t = 0; t < len; t++) {
            float v = value[start + t];
            double conf = s.confidenceExcess(v);
            c[t] = conf;
            b[t] = v > 0 ? 1.0 + conf : 0.0;
            if (v > 0) {
              counted++;
            }
            // c p^2: the pair's confidence where it is preferred (p = 1), 0 otherwise.
            sq += b[t];
          }
        } else if (g.otherBias != null) {
          for (int t = 0; t < len; t++) {
            double bt = value[start + t] - mu - g.otherBias[pos[start + t]];
            b[t] = bt;
            sq += bt * bt;
          }
        } else {
          for (int t = 0; t < len; t++) {
            double bt = value[start + t];
            b[t] = bt;
            sq += bt * bt;
          }
        }
        if (g.floats) {
          ne.addRows(g.rowsF, g.stride, pos, start, len, b, c);
        } else {
          ne.addRows(g.rows, pos, start, len, b, c);
        }
      }
      if (!s.implicit()) {
        counted = to - from;
      } else {
        ne.addPacked(g.yty);
      }
      bSq = sq;
      return counted;
    }
  }

  /**
   * The solve part: solves the {@code pending} rows built so far and writes them out, in row order; adds each row's
   * loss (with {@code computeLoss}) to {@code terms[0]} and its regularisation term to {@code terms[1]}.
   */
  private static void finish(int pending, LaneSolver lanes, LeastSquaresSolver solver, NormalEquation[] nes,
      double[][] xs, int[] rowOf, double[] lambdaOf, double[] bSqOf, float[] out, AlsParams s, boolean computeLoss,
      double[] terms) {
    int dim = s.dim();
    if (lanes != null) {
      lanes.solve(nes, lambdaOf, pending, xs);
    } else {
      for (int q = 0; q < pending; q++) {
        solver.solve(nes[q], lambdaOf[q], xs[q], 0);
      }
    }
    for (int q = 0; q < pending; q++) {
      int o = rowOf[q] * dim;
      double[] x = xs[q];
      double norm = 0;
      for (int f = 0; f < dim; f++) {
        out[o + f] = (float) x[f];
        norm += (double) out[o + f] * out[o + f];
      }
      terms[1] += lambdaOf[q] * norm;
      if (computeLoss) {
        terms[0] += rowLoss(nes[q], bSqOf[q], out, o, dim);
      }
    }
  }

  /**
   * A row's loss from its normal equation, in O(dim^2) instead of a second pass over the row's ratings:
   * {@code b'b - 2 x'(A'b) + x'(A'A)x} with x the float-rounded solution, as it will be used. Explicit feedback: the
   * squared error {@code |b - A x|^2}, {@code bSq = b'b}. Implicit feedback: the confidence-weighted loss over every
   * pair of the row, {@code sum_i c_i (p_i - x'y_i)^2} with {@code c_i = 1} and {@code p_i = 0} where nothing was
   * recorded; A holds {@code YᵀY + sum (c_i - 1) y_i y_i'} and A'b {@code sum c_i p_i y_i}, so the same expansion
   * holds with {@code bSq = sum c_i p_i^2}. The terms are of the size of the loss's largest part and double carries
   * ~16 digits, so the cancellation is harmless at any loss level a model reaches; clamped at 0 against the last bits
   * of rounding.
   */
  static double rowLoss(NormalEquation ne, double bSq, float[] x, int off, int dim) {
    double[] atb = ne.atb();
    double xb = 0;
    for (int f = 0; f < dim; f++) {
      xb += x[off + f] * atb[f];
    }
    return Math.max(0.0, bSq - 2 * xb + quadratic(ne.ata(), x, off, dim));
  }

  /** x' A x for packed upper-triangular symmetric A. */
  static double quadratic(double[] packed, float[] x, int off, int dim) {
    double sum = 0;
    for (int j = 0; j < dim; j++) {
      int col = j * (j + 1) / 2;
      double xj = x[off + j];
      for (int i = 0; i < j; i++) {
        sum += 2.0 * packed[col + i] * x[off + i] * xj;
      }
      sum += packed[col + j] * xj * xj;
    }
    return sum;
  }

  /** Packed upper triangle of YᵀY over the rows of a factor block. */
  static double[] gram(float[] values, int n, int dim) {
    NormalEquation ne = new NormalEquation(dim);
    int chunk = Math.max(1, Math.min(CHUNK, n));
    double[] rows = new double[chunk * dim];
    double[] zero = new double[chunk];
    for (int start = 0; start < n; start += chunk) {
      int len = Math.min(chunk, n - start);
      for (int t = 0; t < len * dim; t++) {
        rows[t] = values[start * dim + t];
      }
      ne.addRows(rows, len, zero, null);
    }
    return ne.ata().clone();
  }
}
