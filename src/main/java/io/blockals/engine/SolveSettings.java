package io.blockals.engine;

import java.io.Serializable;

/**
 * The per-row solve settings a half-iteration ships to the executors; small and immutable.
 *
 * @param rank number of latent features
 * @param biases whether each row carries a bias after its features (dim = rank + 1)
 * @param regParam lambda; the effective ridge of a row is regParam * (its number of ratings), as in Spark MLlib
 * @param implicit Hu-Koren-Volinsky confidence weighting instead of squared error on observed values
 * @param alpha confidence slope: c = 1 + alpha * |r|
 * @param nonnegative non-negative least squares
 * @param solver kernel solver name (see {@code io.blockals.kernel.Solvers})
 * @param globalMean mu, subtracted from every rating when biases are on (0 otherwise)
 */
public record SolveSettings(int rank, boolean biases, double regParam, boolean implicit, double alpha,
    boolean nonnegative, String solver, double globalMean) implements Serializable {

  public int dim() {
    return biases ? rank + 1 : rank;
  }
}
