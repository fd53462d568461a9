package io.blockals.bench;

/**
 * Held-out error of a factor model kept in dense arrays: the prediction of (u, i) is
 * {@code mu + userBias[u] + itemBias[i] + dot(U[u], V[i])}, the score formula of the model contract.
 */
public final class HeldOut {
  private HeldOut() {}

  /** RMSE over the pairs the model knows, and how many pairs it could not score (cold users or items). */
  public record Result(double rmse, long scored, long cold) {}

  /**
   * Root mean squared error over the test pairs whose user and item both have factors (the others are counted as
   * cold and skipped, as MLlib's {@code coldStartStrategy = drop} does, so both engines are scored alike).
   *
   * @param users dense user index of each test pair
   * @param items dense item index of each test pair
   * @param ratings the held-out value of each pair
   * @param mu the global mean (0 without biases)
   * @param userFactors row-major {@code numUsers x rank}
   * @param userBias per user, or {@code null} for none
   * @param userKnown whether a user has factors, or {@code null} when all have
   * @param itemFactors row-major {@code numItems x rank}
   * @param itemBias per item, or {@code null}
   * @param itemKnown whether an item has factors, or {@code null}
   * @param rank the factor length
   */
  public static Result rmse(int[] users, int[] items, float[] ratings, double mu, float[] userFactors,
      float[] userBias, boolean[] userKnown, float[] itemFactors, float[] itemBias, boolean[] itemKnown, int rank) {
    if (users.length != items.length || users.length != ratings.length) {
      throw new IllegalArgumentException("test arrays differ in length: " + users.length + ", " + items.length
          + ", " + ratings.length);
    }
    double sq = 0;
    long scored = 0;
    long cold = 0;
    for (int t = 0; t < users.length; t++) {
      int u = users[t];
      int i = items[t];
      if ((userKnown != null && !userKnown[u]) || (itemKnown != null && !itemKnown[i])) {
        cold++;
        continue;
      }
      double p = mu + (userBias == null ? 0 : userBias[u]) + (itemBias == null ? 0 : itemBias[i]);
      int pu = u * rank;
      int qi = i * rank;
      for (int f = 0; f < rank; f++) {
        p += (double) userFactors[pu + f] * itemFactors[qi + f];
      }
      double e = ratings[t] - p;
      sq += e * e;
      scored++;
    }
    return new Result(scored == 0 ? Double.NaN : Math.sqrt(sq / scored), scored, cold);
  }
}
