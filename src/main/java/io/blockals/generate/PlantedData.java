package io.blockals.generate;

/**
 * A generated data set and the model planted in it, in primitive arrays (no per-rating objects).
 *
 * <p>Rows are grouped by user (dense index ascending) and, within a user, by increasing timestamp; the test rows of
 * a user are its latest ones that could be held out. The arrays returned by the accessors are the data itself, not
 * copies: callers must not modify them.
 */
public final class PlantedData {
  private final GeneratorSpec spec;
  private final int[] trainUser;
  private final int[] trainItem;
  private final float[] trainRating;
  private final long[] trainTimestamp;
  private final int[] testUser;
  private final int[] testItem;
  private final float[] testRating;
  private final long[] testTimestamp;
  private final float[] userFactors;
  private final float[] itemFactors;
  private final float[] userBias;
  private final float[] itemBias;
  private final double globalMean;
  private final IdCodec userIds;
  private final IdCodec itemIds;

  PlantedData(GeneratorSpec spec, int[] trainUser, int[] trainItem, float[] trainRating, long[] trainTimestamp,
      int[] testUser, int[] testItem, float[] testRating, long[] testTimestamp, float[] userFactors,
      float[] itemFactors, float[] userBias, float[] itemBias, double globalMean, IdCodec userIds, IdCodec itemIds) {
    this.spec = spec;
    this.trainUser = trainUser;
    this.trainItem = trainItem;
    this.trainRating = trainRating;
    this.trainTimestamp = trainTimestamp;
    this.testUser = testUser;
    this.testItem = testItem;
    this.testRating = testRating;
    this.testTimestamp = testTimestamp;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.userBias = userBias;
    this.itemBias = itemBias;
    this.globalMean = globalMean;
    this.userIds = userIds;
    this.itemIds = itemIds;
  }

  public GeneratorSpec spec() {
    return spec;
  }

  public int numUsers() {
    return spec.users();
  }

  public int numItems() {
    return spec.items();
  }

  public int rank() {
    return spec.rank();
  }

  public boolean implicit() {
    return spec.implicit();
  }

  public int numTrain() {
    return trainUser.length;
  }

  public int numTest() {
    return testUser.length;
  }

  /** Dense user index (0..users-1) of each training row. */
  public int[] trainUser() {
    return trainUser;
  }

  /** Dense item index (0..items-1) of each training row. */
  public int[] trainItem() {
    return trainItem;
  }

  /** Rating (explicit) or play count (implicit) of each training row. */
  public float[] trainRating() {
    return trainRating;
  }

  /** Unix time in seconds of each training row; increasing within a user. */
  public long[] trainTimestamp() {
    return trainTimestamp;
  }

  public int[] testUser() {
    return testUser;
  }

  public int[] testItem() {
    return testItem;
  }

  public float[] testRating() {
    return testRating;
  }

  public long[] testTimestamp() {
    return testTimestamp;
  }

  /** Planted user factors, users x rank, row-major. */
  public float[] userFactors() {
    return userFactors;
  }

  /** Planted item factors, items x rank, row-major. */
  public float[] itemFactors() {
    return itemFactors;
  }

  /** Planted user biases (all 0 without biases). */
  public float[] userBias() {
    return userBias;
  }

  /** Planted item biases (all 0 without biases). */
  public float[] itemBias() {
    return itemBias;
  }

  /** Planted global mean: 3.5 for explicit data with biases, else 0. */
  public double globalMean() {
    return globalMean;
  }

  /**
   * The noise-free planted score {@code mu + b_u + b_i + p_u . q_i}: the best possible prediction of an explicit
   * rating, or the affinity that drives an implicit user's choices and counts.
   */
  public double plantedScore(int user, int item) {
    int k = spec.rank();
    double dot = 0;
    int pu = user * k;
    int qi = item * k;
    for (int f = 0; f < k; f++) {
      dot += (double) userFactors[pu + f] * itemFactors[qi + f];
    }
    return globalMean + userBias[user] + itemBias[item] + dot;
  }

  /**
   * The RMSE a perfect model would have on held-out explicit ratings: the noise sigma. For star ratings, which are
   * rounded and clipped, the RMSE on the test rows of the planted score clipped to the scale (a reference a good
   * model comes close to, not a strict bound); {@code NaN} when there are no test rows. {@code NaN} for implicit
   * data, whose counts have no such floor.
   */
  public double noiseFloor() {
    if (spec.implicit()) {
      return Double.NaN;
    }
    if (!spec.starRatings()) {
      return spec.noise();
    }
    if (testUser.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int t = 0; t < testUser.length; t++) {
      double p = Math.min(SyntheticGenerator.MAX_STARS, Math.max(spec.stars(), plantedScore(testUser[t],
          testItem[t])));
      double e = testRating[t] - p;
      sum += e * e;
    }
    return Math.sqrt(sum / testUser.length);
  }

  /** True when ids are strings ({@code u_...}, {@code i_...}), false when they are long numbers. */
  public boolean stringIds() {
    return spec.stringIds();
  }

  /** External id of dense user index {@code user} (a decimal number for long ids). */
  public String userId(int user) {
    return userIds.id(checkIndex(user, spec.users()));
  }

  /** External id of dense item index {@code item} (a decimal number for long ids). */
  public String itemId(int item) {
    return itemIds.id(checkIndex(item, spec.items()));
  }

  /** The long id of a user; only for data generated with long ids. */
  public long userLongId(int user) {
    return userIds.longId(checkIndex(user, spec.users()));
  }

  /** The long id of an item; only for data generated with long ids. */
  public long itemLongId(int item) {
    return itemIds.longId(checkIndex(item, spec.items()));
  }

  private static int checkIndex(int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size - 1));
    }
    return index;
  }
}
