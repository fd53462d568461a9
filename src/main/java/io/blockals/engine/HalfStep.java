package io.blockals.engine;

import io.blockals.kernel.LaneSolver;
import io.blockals.kernel.LeastSquaresSolver;
import io.blockals.kernel.NormalEquation;
import java.util.Iterator;

/**
 * One half-iteration for one block, in plain Java: gather the received factor rows, then for every local row build
 * its normal equation and solve it. Optionally also computes the training objective over this block's ratings with
 * the new factors, which after the item half is the objective of the whole model.
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
   * Solves every row of {@code block} from the received messages.
   *
   * @param globalMean mu, subtracted from every rating when biases are on
   * @param previous this block's factors from the previous iteration, or null; an iterative solver (CG) starts from
   *     them, which is where the solution is after the first few iterations
   */
  static FactorBlock solve(SideBlock block, Iterator<FactorMessage> received, AlsParams s, double globalMean,
      boolean computeLoss, FactorBlock previous) {
    int dim = s.dim();
    int rank = s.rank();
    int numSrc = block.srcOffset.length - 1;
    // The received rows in one table. With the vector kernel it holds floats (as the rows travel; the kernel widens
    // them as it reads, and half the bytes matter once the table outgrows the caches), rows rounded up to whole
    // vectors; otherwise doubles, widened here once per half-step rather than once per rating, `dim` apart (then
    // stride == dim). With biases the slot after the features holds 1.0 (the bias column of the least-squares row)
    // and the other side's bias moves to its own array, so each rating's row can be added straight from the table.
    int stride = NormalEquation.fastStride(dim);
    boolean floats = NormalEquation.usesVectorKernel(dim);
    float[] gatheredF = floats ? new float[block.numGathered() * stride] : null;
    double[] gathered = floats ? null : new double[block.numGathered() * stride];
    double[] otherBias = s.biases() ? new double[block.numGathered()] : null;
    double[] yty = s.implicit() ? new double[dim * (dim + 1) / 2] : null;
    double[][] ytyParts = s.implicit() ? new double[numSrc][] : null;
    double otherReg = 0;
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
      for (int row = 0, from = 0, to = first * stride; from < m.rows.length; row++, from += dim, to += stride) {
        if (floats) {
          System.arraycopy(m.rows, from, gatheredF, to, dim);
        } else {
          for (int f = 0; f < dim; f++) {
            gathered[to + f] = m.rows[from + f];
          }
        }
        if (otherBias != null) {
          otherBias[first + row] = m.rows[from + rank];
          if (floats) {
            gatheredF[to + rank] = 1.0f;
          } else {
            gathered[to + rank] = 1.0;
          }
        }
      }
      if (ytyParts != null) {
        ytyParts[m.srcBlock] = m.yty;
      }
      otherReg += m.regTerm;
    }
    for (int src = 0; src < numSrc; src++) {
      if (!got[src]) {
        throw new IllegalStateException("block " + block.block + ": no message from block " + src);
      }
      if (ytyParts != null) {
        // Summed in source-block order, not arrival order, so the result is the same on every run.
        double[] part = ytyParts[src];
        for (int t = 0; t < yty.length; t++) {
          yty[t] += part[t];
        }
      }
    }

    int n = block.numRows();
    float[] out = new float[n * dim];
    LeastSquaresSolver solver = s.solverSpec().newSolver();
    // Rows are solved a few at a time where the solver allows (one system per vector lane, the same results as one
    // by one); otherwise one at a time. Either way they are finished, and their terms added up, in row order.
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
      maxLen = Math.max(maxLen, block.rowPtr[r + 1] - block.rowPtr[r]);
    }
    int chunk = Math.min(CHUNK, Math.max(1, maxLen));
    double[] b = new double[chunk];
    double[] c = s.implicit() ? new double[chunk] : null;
    double[] terms = new double[2];
    double mu = s.biases() ? globalMean : 0.0;
    int[] pos = block.pos;
    float[] value = block.value;
    int pending = 0;
    for (int r = 0; r < n; r++) {
      int from = block.rowPtr[r];
      int to = block.rowPtr[r + 1];
      if (to == from) {
        continue;
      }
      NormalEquation ne = nes[pending];
      ne.reset();
      int counted = 0;
      double bSq = 0;
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
            bSq += b[t] * b[t];
          }
        } else if (otherBias != null) {
          for (int t = 0; t < len; t++) {
            double bt = value[start + t] - mu - otherBias[pos[start + t]];
            b[t] = bt;
            bSq += bt * bt;
          }
        } else {
          for (int t = 0; t < len; t++) {
            double bt = value[start + t];
            b[t] = bt;
            bSq += bt * bt;
          }
        }
        if (floats) {
          ne.addRows(gatheredF, stride, pos, start, len, b, c);
        } else {
          ne.addRows(gathered, pos, start, len, b, c);
        }
      }
      if (!s.implicit()) {
        counted = to - from;
      } else {
        ne.addPacked(yty);
      }
      double[] x = xs[pending];
      if (previous != null) {
        for (int f = 0; f < dim; f++) {
          x[f] = previous.values[r * dim + f];
        }
      } else {
        java.util.Arrays.fill(x, 0.0);
      }
      rowOf[pending] = r;
      lambdaOf[pending] = s.regParam() * counted;
      bSqOf[pending] = bSq;
      pending++;
      if (pending == width) {
        finish(pending, lanes, solver, nes, xs, rowOf, lambdaOf, bSqOf, out, block, gathered, gatheredF, stride, s,
            yty, computeLoss, terms);
        pending = 0;
      }
    }
    if (pending > 0) {
      finish(pending, lanes, solver, nes, xs, rowOf, lambdaOf, bSqOf, out, block, gathered, gatheredF, stride, s, yty,
          computeLoss, terms);
    }
    double residualSq = terms[0];
    double regTerm = terms[1];
    return new FactorBlock(block.block, dim, out, residualSq, regTerm, otherReg);
  }

  /**
   * Solves the {@code pending} rows gathered so far and writes them out, in row order; adds each row's squared error
   * (with {@code computeLoss}) to {@code terms[0]} and its regularisation term to {@code terms[1]}.
   */
  private static void finish(int pending, LaneSolver lanes, LeastSquaresSolver solver, NormalEquation[] nes,
      double[][] xs, int[] rowOf, double[] lambdaOf, double[] bSqOf, float[] out, SideBlock block,
      double[] gathered, float[] gatheredF, int stride, AlsParams s, double[] yty, boolean computeLoss,
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
        terms[0] += s.implicit() ? rowLoss(block, rowOf[q], out, o, gathered, gatheredF, stride, s, yty)
            : explicitRowLoss(nes[q], bSqOf[q], out, o, dim);
      }
    }
  }

  /**
   * The squared error of an explicit row from its normal equation, |b - A x|^2 = b'b - 2 x'(A'b) + x'(A'A)x, in
   * O(dim^2) instead of a second pass over the row's ratings. x is the float-rounded solution, as it will be used.
   * The terms are of the size of b'b and double carries ~16 digits, so the cancellation is harmless at any error
   * level a rating model reaches; clamped at 0 against the last bits of rounding.
   */
  static double explicitRowLoss(NormalEquation ne, double bSq, float[] x, int off, int dim) {
    double[] atb = ne.atb();
    double xb = 0;
    for (int f = 0; f < dim; f++) {
      xb += x[off + f] * atb[f];
    }
    return Math.max(0.0, bSq - 2 * xb + quadratic(ne.ata(), x, off, dim));
  }

  /** The implicit-feedback loss of row r with its new factors (stored as float, as they will be used). */
  private static double rowLoss(SideBlock block, int r, float[] out, int o, double[] gathered, float[] gatheredF,
      int stride, AlsParams s, double[] yty) {
    int dim = s.dim();
    int rank = s.rank();
    double sum = 0;
    for (int j = block.rowPtr[r]; j < block.rowPtr[r + 1]; j++) {
      int g = block.pos[j] * stride;
      double dot = 0;
      for (int f = 0; f < rank; f++) {
        dot += (double) out[o + f] * (gathered != null ? gathered[g + f] : gatheredF[g + f]);
      }
      // Confidence-weighted loss over all pairs = sum_i x'YtYx + sum over observed [c (p - xy)^2 - (xy)^2].
      float v = block.value[j];
      double conf = 1.0 + s.confidenceExcess(v);
      double p = v > 0 ? 1.0 : 0.0;
      sum += conf * (p - dot) * (p - dot) - dot * dot;
    }
    return sum + quadratic(yty, out, o, dim);
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
