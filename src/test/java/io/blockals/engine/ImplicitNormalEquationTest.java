package io.blockals.engine;

import static io.blockals.Approx.assertClose;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The implicit half-step against the dense normal equations it stands for: for a user u, with the factors Y of all
 * items (rated or not), confidences C_u = diag(c_ui) (1 for an unrated item) and preferences p_ui (1 for r > 0),
 * x_u = (Yᵀ C_u Y + λ n_u I)⁻¹ Yᵀ C_u p_u, n_u the number of positive values (ALS-WR, as MLlib). The half-step builds
 * it from YᵀY plus a correction per rated item; here Yᵀ C_u Y is summed over every item, densely, and so is the
 * loss it reports.
 */
class ImplicitNormalEquationTest {
  /** Four items, rank 2; the user rates items 0 (3), 1 (-1: observed, not preferred) and 3 (0.5); item 2 unrated. */
  private static final float[][] Y = {{1f, 0.5f}, {-0.5f, 2f}, {0.3f, -1f}, {1.5f, 0.25f}};
  private static final int[] RATED = {0, 1, 3};
  private static final float[] VALUES = {3f, -1f, 0.5f};

  @ParameterizedTest(name = "{0} scaling, alpha {1}, epsilon {2}")
  @CsvSource({"LINEAR, 0.5, 1.0", "LINEAR, 4.0, 1.0", "LOG, 2.0, 0.5", "LOG, 1.0, 3.0"})
  void theSolutionIsThatOfTheDenseNormalEquations(AlsParams.AlphaScaling scaling, double alpha, double epsilon) {
    double lambda = 0.1;
    AlsParams s = new AlsParams(2, 1, lambda, true, alpha, false, false, "cholesky", 1, 1, 0L, 0,
        DuplicatePolicy.LATEST).withAlphaScaling(scaling, epsilon);

    // Dense: c_ui for every item, then A = sum_i c_ui y_i y_iᵀ + λ n_u I and b = sum_i c_ui p_ui y_i.
    double[] c = {1, 1, 1, 1};
    double[] pref = {0, 0, 0, 0};
    int positives = 0;
    for (int t = 0; t < RATED.length; t++) {
      double r = Math.abs(VALUES[t]);
      c[RATED[t]] = 1 + (scaling == AlsParams.AlphaScaling.LOG ? alpha * Math.log(1 + r / epsilon) : alpha * r);
      pref[RATED[t]] = VALUES[t] > 0 ? 1 : 0;
      positives += VALUES[t] > 0 ? 1 : 0;
    }
    double a00 = lambda * positives;
    double a01 = 0;
    double a11 = lambda * positives;
    double b0 = 0;
    double b1 = 0;
    for (int i = 0; i < Y.length; i++) {
      a00 += c[i] * Y[i][0] * Y[i][0];
      a01 += c[i] * Y[i][0] * Y[i][1];
      a11 += c[i] * Y[i][1] * Y[i][1];
      b0 += c[i] * pref[i] * Y[i][0];
      b1 += c[i] * pref[i] * Y[i][1];
    }
    double det = a00 * a11 - a01 * a01;
    double x0 = (b0 * a11 - a01 * b1) / det;
    double x1 = (a00 * b1 - a01 * b0) / det;

    // The half-step: one item block sending the rated rows and the YᵀY of all four items.
    SideBlock user = BlockBuilder.assemble(0, new String[] {"u"}, new int[] {0, 0, 0}, new int[] {0, 0, 0},
        new int[] {0, 1, 2}, VALUES, 3, 1, null);
    float[] all = new float[8];
    float[] rated = new float[6];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(Y[i], 0, all, 2 * i, 2);
    }
    for (int t = 0; t < 3; t++) {
      System.arraycopy(Y[RATED[t]], 0, rated, 2 * t, 2);
    }
    FactorMessage m = new FactorMessage(0, rated, HalfStep.gram(all, 4, 2), 0);
    FactorBlock f = HalfStep.solve(user, List.of(m).iterator(), s, 0.0, true, null);
    assertClose(f.values[0], x0, 1e-5, "x0");
    assertClose(f.values[1], x1, 1e-5, "x1");

    // The loss over every item, rated or not, with the float factors the half-step returns:
    // sum_i c_ui (p_ui - x'y_i)^2, and the reg term λ n_u |x|^2.
    double loss = 0;
    for (int i = 0; i < Y.length; i++) {
      double e = pref[i] - (f.values[0] * Y[i][0] + f.values[1] * Y[i][1]);
      loss += c[i] * e * e;
    }
    assertClose(f.residualSq, loss, 1e-6, "confidence-weighted loss");
    double x0f = f.values[0];
    double x1f = f.values[1];
    assertClose(f.regTerm, lambda * positives * (x0f * x0f + x1f * x1f), 1e-9, "reg term");
  }

  @ParameterizedTest(name = "value {0}")
  @CsvSource({"0.0, 1.0, 1.0", "3.0, 2.5, 2.3862943611198906", "-3.0, 2.5, 2.3862943611198906",
      "99.0, 50.5, 8.052721049232323"})
  void confidenceOfAValue(float v, double linear, double log) {
    // alpha 0.5 linear: 1 + 0.5 |v|; alpha 2, epsilon 3, log: 1 + 2 ln(1 + |v| / 3) (ln 2 = 0.693147..., ln 34 = 3.526360...).
    AlsParams base = new AlsParams(2, 1, 0.1, true, 0.5, false, false, "cholesky", 1, 1, 0L, 0,
        DuplicatePolicy.LATEST);
    assertClose(1 + base.confidenceExcess(v), linear, 1e-12, "linear");
    AlsParams logScaled = new AlsParams(2, 1, 0.1, true, 2.0, false, false, "cholesky", 1, 1, 0L, 0,
        DuplicatePolicy.LATEST).withAlphaScaling(AlsParams.AlphaScaling.LOG, 3.0);
    assertClose(1 + logScaled.confidenceExcess(v), log, 1e-12, "log");
  }
}
