package io.blockals.engine;

import io.blockals.kernel.Solvers;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the engine needs to know about a training run, already validated by the config layer.
 *
 * @param rank number of latent features (k)
 * @param maxIter number of ALS iterations (a user half and an item half each)
 * @param regParam lambda; a row with n ratings is regularised by lambda * n (ALS-WR, as Spark MLlib)
 * @param implicit implicit feedback (Hu-Koren-Volinsky) instead of explicit ratings
 * @param alpha implicit confidence slope
 * @param biases learn a global mean and user/item biases
 * @param nonnegative constrain factors to be non-negative (NNLS)
 * @param solver kernel solver: cholesky, cg or auto (what it means at this rank: {@link #solverSpec()})
 * @param numUserBlocks number of user blocks (at least 1)
 * @param numItemBlocks number of item blocks (at least 1)
 * @param seed the one seed every random choice derives from
 * @param checkpointInterval checkpoint the factors every this many iterations (0 = never)
 * @param duplicates policy for repeated (user, item) pairs
 */
public record AlsParams(int rank, int maxIter, double regParam, boolean implicit, double alpha, boolean biases,
    boolean nonnegative, String solver, int numUserBlocks, int numItemBlocks, long seed, int checkpointInterval,
    DuplicatePolicy duplicates) implements Serializable {

  public AlsParams {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be at least 1, got " + rank);
    }
    if (maxIter < 0) {
      throw new IllegalArgumentException("max_iter must be >= 0, got " + maxIter);
    }
    if (!(regParam >= 0)) {
      throw new IllegalArgumentException("reg_param must be >= 0, got " + regParam);
    }
    if (numUserBlocks < 1 || numItemBlocks < 1) {
      throw new IllegalArgumentException("block counts must be at least 1");
    }
    if (biases && implicit) {
      throw new IllegalArgumentException("biases are not supported with implicit feedback");
    }
  }

  /** The size of a row's least-squares system: the features, plus one for the bias. */
  public int dim() {
    return biases ? rank + 1 : rank;
  }

  /** What {@code solver} (with {@code nonnegative}) means at this rank, as the kernel decides it. */
  public Solvers.Spec solverSpec() {
    return new Solvers.Spec(solver, nonnegative, dim());
  }

  /** The parameters under their config names (snake_case), as model.json records them. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rank", rank);
    m.put("reg_param", regParam);
    m.put("alpha", alpha);
    m.put("implicit", implicit);
    m.put("biases", biases);
    m.put("nonnegative", nonnegative);
    m.put("max_iter", maxIter);
    m.put("num_user_blocks", numUserBlocks);
    m.put("num_item_blocks", numItemBlocks);
    m.put("seed", seed);
    m.put("solver", solver);
    m.put("checkpoint_interval", checkpointInterval);
    m.put("duplicates", duplicates.name().toLowerCase(Locale.ROOT));
    return m;
  }

  /** A copy with other block counts (tests and the benchmark sweep them). */
  public AlsParams withBlocks(int users, int items) {
    return new AlsParams(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, users, items, seed,
        checkpointInterval, duplicates);
  }

  public AlsParams withMaxIter(int iterations) {
    return new AlsParams(rank, iterations, regParam, implicit, alpha, biases, nonnegative, solver, numUserBlocks,
        numItemBlocks, seed, checkpointInterval, duplicates);
  }
}
