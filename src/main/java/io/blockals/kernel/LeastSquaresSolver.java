package io.blockals.kernel;

import java.io.Serializable;

/**
 * Solves the regularised normal equations {@code (ata + lambda I) x = atb} of one ALS row.
 *
 * <p>Implementations keep scratch arrays so that solving a row does not allocate; an instance is therefore not
 * thread-safe and must be used by one thread at a time (one instance per Spark task). Scratch arrays are transient
 * and re-created after deserialisation.
 */
public interface LeastSquaresSolver extends Serializable {

  /**
   * Solves {@code (ne.ata() + lambda I) x = ne.atb()} and writes {@code x} into {@code out[off .. off + k)}.
   * Implementations do not modify {@code ne}.
   *
   * @param ne the accumulated normal equation (not modified)
   * @param lambda the diagonal regularisation, finite and {@code >= 0}
   * @param out receives the solution; {@link ConjugateGradientSolver} also reads its starting point from here
   * @param off where the solution starts in {@code out}
   * @throws SingularSystemException if the system is not positive definite
   * @throws IllegalArgumentException on a negative or non-finite lambda, a too short {@code out}, or non-finite
   *     values in the equation
   */
  void solve(NormalEquation ne, double lambda, double[] out, int off);
}
