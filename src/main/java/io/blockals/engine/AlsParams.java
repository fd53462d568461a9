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
 * @param maxIter number of ALS iterations (a user half and an item half each; implicit feedback solves the items first)
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
 * @param tolerance stop once the training loss falls by less than this fraction in one iteration (0 = never)
 * @param patience with a validation set, stop after this many iterations without a lower validation RMSE and keep
 *     the best iterate (0 = never)
 * @param alphaScaling implicit feedback: how a value becomes a confidence ({@link #confidenceExcess(float)})
 * @param epsilon implicit feedback with {@code log} scaling: the value scale in log(1 + |r| / epsilon)
 */
public record AlsParams(int rank, int maxIter, double regParam, boolean implicit, double alpha, boolean biases,
    boolean nonnegative, String solver, int numUserBlocks, int numItemBlocks, long seed, int checkpointInterval,
    DuplicatePolicy duplicates, double tolerance, int patience, AlphaScaling alphaScaling, double epsilon)
    implements Serializable {

  /** How an implicit value r becomes the confidence c of its pair. */
  public enum AlphaScaling {
    /** c = 1 + alpha * |r| (Hu, Koren, Volinsky; MLlib). */
    LINEAR,
    /** c = 1 + alpha * log(1 + |r| / epsilon): large counts weigh less than in proportion. */
    LOG
  }

  /** Without early stopping: every iteration up to {@code maxIter} runs. */
  public AlsParams(int rank, int maxIter, double regParam, boolean implicit, double alpha, boolean biases,
      boolean nonnegative, String solver, int numUserBlocks, int numItemBlocks, long seed, int checkpointInterval,
      DuplicatePolicy duplicates) {
    this(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, numUserBlocks, numItemBlocks, seed,
        checkpointInterval, duplicates, 0.0, 0, AlphaScaling.LINEAR, 1.0);
  }

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
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    if (alphaScaling == null) {
      throw new IllegalArgumentException("alpha_scaling must be linear or log");
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
    }
    if (biases && implicit) {
      throw new IllegalArgumentException("biases are not supported with implicit feedback");
    }
  }

  /**
   * The confidence of an implicit value minus one, c - 1: {@code alpha * |v|} (linear) or
   * {@code alpha * log(1 + |v| / epsilon)} (log). The half-step adds it to the unit weight every pair has.
   */
  public double confidenceExcess(float v) {
    double r = Math.abs(v);
    return alphaScaling == AlphaScaling.LOG ? alpha * Math.log1p(r / epsilon) : alpha * r;
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
    m.put("tolerance", tolerance);
    m.put("patience", patience);
    m.put("alpha_scaling", alphaScaling.name().toLowerCase(Locale.ROOT));
    m.put("epsilon", epsilon);
    return m;
  }

  /** A copy with other block counts (tests and the benchmark sweep them). */
  public AlsParams withBlocks(int users, int items) {
    return new AlsParams(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, users, items, seed,
        checkpointInterval, duplicates, tolerance, patience, alphaScaling, epsilon);
  }

  public AlsParams withMaxIter(int iterations) {
    return new AlsParams(rank, iterations, regParam, implicit, alpha, biases, nonnegative, solver, numUserBlocks,
        numItemBlocks, seed, checkpointInterval, duplicates, tolerance, patience, alphaScaling, epsilon);
  }

  /** A copy with another confidence scaling (tests). */
  public AlsParams withAlphaScaling(AlphaScaling scaling, double newEpsilon) {
    return new AlsParams(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, numUserBlocks,
        numItemBlocks, seed, checkpointInterval, duplicates, tolerance, patience, scaling, newEpsilon);
  }

  /** A copy with early stopping set (tests). */
  public AlsParams withStopping(double newTolerance, int newPatience) {
    return new AlsParams(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, numUserBlocks,
        numItemBlocks, seed, checkpointInterval, duplicates, newTolerance, newPatience, alphaScaling, epsilon);
  }
}
