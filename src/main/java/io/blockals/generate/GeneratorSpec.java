package io.blockals.generate;

import io.blockals.BlockalsException;

/**
 * What to generate: the size of the ratings matrix, the planted model and the shape of the sampling.
 *
 * <p>Explicit mode: {@code r = mu + b_u + b_i + p_u . q_i + eps} with {@code eps ~ N(0, noise^2)}, factor entries
 * normal with standard deviation {@code rank^(-1/4)} (so {@code var(p_u . q_i) = 1}), and, with {@code biases},
 * {@code mu = 3.5} and {@code b_u, b_i ~ N(0, 0.5^2)}; without biases {@code mu}, {@code b_u} and {@code b_i} are 0. Ratings are never
 * clipped, so a model that knew the planted parameters would have an RMSE of exactly {@code noise}.
 *
 * <p>Implicit mode: the affinity {@code x = b_u + b_i + p_u . q_i} ({@code mu = 0}) decides both which items a user
 * interacts with (an item drawn by popularity is kept with probability {@code min(1, exp(x - 1))}) and how often:
 * the value is a play count {@code 1 + Poisson(2 exp(x + noise * z))}, {@code z ~ N(0, 1)}. There is no noise
 * floor in this mode.
 *
 * @param users        number of users (dense indexes 0..users-1)
 * @param items        number of items
 * @param ratings      total number of (user, item) pairs, train and test together; at most users x items
 * @param rank         number of planted factors
 * @param noise        standard deviation of the rating noise (explicit) or of the log-rate noise (implicit)
 * @param seed         everything is a deterministic function of the spec, seed included
 * @param stringIds    true: ids like {@code u_3f9a1c} (some with a '-'); false: scrambled long ids above 10^12
 * @param itemZipf     item popularity exponent: the item of popularity rank r has weight (r+1)^-itemZipf
 * @param userSkew     sigma of the log-normal user activity weights (0: every user gets the same count, +-1)
 * @param minPerUser   every user gets at least this many ratings (train and test together)
 * @param testFraction fraction of each user's ratings held out into the test set, the user's latest ones
 *                     (stochastically rounded per user, and never a user's last train rating or an item's last train
 *                     rating, so every test user and item also occurs in train)
 * @param biases       plant a global mean and user/item biases
 * @param implicit     generate positive play counts instead of ratings (see above)
 * @param minPerItem   every item gets at least this many ratings (train and test together); with 1 or more every
 *                     user and item index occurs in the data
 * @param stars        0: ratings as drawn (continuous, unclipped); 0.5 or 1: star ratings, each rounded to the
 *                     nearest multiple of {@code stars} and clipped to [stars, 5], as real rating scales are
 */
public record GeneratorSpec(int users, int items, long ratings, int rank, double noise, long seed,
    boolean stringIds, double itemZipf, double userSkew, int minPerUser, double testFraction,
    boolean biases, boolean implicit, int minPerItem, double stars) {

  /** The largest number of ratings one generation may hold (Java arrays are int-indexed). */
  public static final long MAX_RATINGS = Integer.MAX_VALUE - 64;
  static final double MAX_ZIPF = 4.0;
  static final double MAX_USER_SKEW = 4.0;
  static final int MAX_RANK = 1000;

  /** The spec without {@code minPerItem}, which is then 1 (every item occurs), and continuous ratings. */
  public GeneratorSpec(int users, int items, long ratings, int rank, double noise, long seed, boolean stringIds,
      double itemZipf, double userSkew, int minPerUser, double testFraction, boolean biases, boolean implicit) {
    this(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser, testFraction, biases,
        implicit, 1, 0);
  }

  /**
   * 1000 users, 500 items, 20000 ratings, rank 5, noise 0.3, seed 42, string ids, Zipf 0.8, user skew 0.5, at least
   * 5 ratings per user and 1 per item, 10% test, biases, explicit.
   */
  public static GeneratorSpec defaults() {
    return new GeneratorSpec(1000, 500, 20_000, 5, 0.3, 42L, true, 0.8, 0.5, 5, 0.1, true, false, 1, 0);
  }

  /**
   * Uniform popularity and equal user activity: every user gets {@code round(density * items)} ratings (or one less),
   * every item about {@code density * users}. For planted-factor tests that need many ratings per user and per item,
   * e.g. 400 x 300 at density 0.4 gives 120 per user and about 160 per item. Long ids, biases, no test split.
   */
  public static GeneratorSpec denseUniform(int users, int items, double density, int rank, double noise, long seed) {
    long ratings = Math.round(density * users * (double) items);
    int perUser = (int) Math.min(items, ratings / Math.max(1, users));
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, false, 0.0, 0.0, perUser, 0.0, true, false, 1,
        0);
  }

  public GeneratorSpec withUsers(int value) {
    return new GeneratorSpec(value, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withItems(int value) {
    return new GeneratorSpec(users, value, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withRatings(long value) {
    return new GeneratorSpec(users, items, value, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  /** Users, items and ratings at once. */
  public GeneratorSpec withSize(int newUsers, int newItems, long newRatings) {
    return new GeneratorSpec(newUsers, newItems, newRatings, rank, noise, seed, stringIds, itemZipf, userSkew,
        minPerUser, testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withRank(int value) {
    return new GeneratorSpec(users, items, ratings, value, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withNoise(double value) {
    return new GeneratorSpec(users, items, ratings, rank, value, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withSeed(long value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, value, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withStringIds(boolean value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, value, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withItemZipf(double value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, value, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withUserSkew(double value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, value, minPerUser,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withMinPerUser(int value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, value,
        testFraction, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withMinPerItem(int value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, value, stars);
  }

  public GeneratorSpec withTestFraction(double value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        value, biases, implicit, minPerItem, stars);
  }

  public GeneratorSpec withBiases(boolean value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, value, implicit, minPerItem, stars);
  }

  public GeneratorSpec withImplicit(boolean value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, value, minPerItem, stars);
  }

  public GeneratorSpec withStars(double value) {
    return new GeneratorSpec(users, items, ratings, rank, noise, seed, stringIds, itemZipf, userSkew, minPerUser,
        testFraction, biases, implicit, minPerItem, value);
  }

  /**
   * Data shaped like real star ratings: half-star values from 0.5 to 5, heavy-tailed activity (Zipf 1.0 item
   * popularity, log-normal user activity with sigma 1.3, most users with few ratings, at least 1) and noise 0.6;
   * rank 8, string ids, biases, each user's latest 10% held out.
   */
  public static GeneratorSpec realistic(int users, int items, long ratings, long seed) {
    return new GeneratorSpec(users, items, ratings, 8, REALISTIC_NOISE, seed, true, 1.0, 1.3, 1, 0.1, true, false,
        1, 0.5);
  }

  /** Noise of {@link #realistic}: with the planted spread it gives star ratings with a standard deviation near 1. */
  static final double REALISTIC_NOISE = 0.6;

  /** True when ratings are rounded to a star grid. */
  public boolean starRatings() {
    return stars > 0;
  }

  /**
   * Checks that the spec can be generated.
   *
   * @throws BlockalsException a usage error (exit code 2) naming the offending option and what to change
   */
  public void validate() {
    if (users < 1) {
      throw BlockalsException.usage("--users must be at least 1, got " + users);
    }
    if (items < 1) {
      throw BlockalsException.usage("--items must be at least 1, got " + items);
    }
    if (rank < 1 || rank > MAX_RANK) {
      throw BlockalsException.usage("--rank must be between 1 and " + MAX_RANK + ", got " + rank);
    }
    if ((long) users * rank > MAX_RATINGS || (long) items * rank > MAX_RATINGS) {
      throw BlockalsException.usage("--rank " + rank + " times --users/--items is too large for the factor arrays; "
          + "lower --rank or the number of users/items");
    }
    if (ratings < 1) {
      throw BlockalsException.usage("--ratings must be at least 1, got " + ratings);
    }
    long pairs = (long) users * items;
    if (ratings > pairs) {
      throw BlockalsException.usage("--ratings " + ratings + " is more than the " + pairs
          + " possible (user,item) pairs of --users " + users + " x --items " + items
          + "; lower --ratings or raise --users/--items");
    }
    if (ratings > MAX_RATINGS) {
      throw BlockalsException.usage("--ratings " + ratings + " is over the limit of " + MAX_RATINGS
          + " for one generation; generate several parts with different --seed values");
    }
    if (!Double.isFinite(noise) || noise < 0) {
      throw BlockalsException.usage("--noise must be a finite number >= 0, got " + noise);
    }
    if (!Double.isFinite(itemZipf) || itemZipf < 0 || itemZipf > MAX_ZIPF) {
      throw BlockalsException.usage("--zipf must be between 0 (uniform) and " + MAX_ZIPF + ", got " + itemZipf);
    }
    if (!Double.isFinite(userSkew) || userSkew < 0 || userSkew > MAX_USER_SKEW) {
      throw BlockalsException.usage(
          "--user-skew must be between 0 (equal activity) and " + MAX_USER_SKEW + ", got " + userSkew);
    }
    if (minPerUser < 0 || minPerUser > items) {
      throw BlockalsException.usage("--min-per-user must be between 0 and --items (" + items + "), got " + minPerUser);
    }
    if ((long) minPerUser * users > ratings) {
      throw BlockalsException.usage("--min-per-user " + minPerUser + " x --users " + users + " needs at least "
          + (long) minPerUser * users + " ratings but --ratings is " + ratings
          + "; raise --ratings or lower --min-per-user");
    }
    if (minPerItem < 0 || minPerItem > users) {
      throw BlockalsException.usage("--min-per-item must be between 0 and --users (" + users + "), got " + minPerItem);
    }
    if ((long) minPerItem * items > ratings) {
      throw BlockalsException.usage("--min-per-item " + minPerItem + " x --items " + items + " needs at least "
          + (long) minPerItem * items + " ratings but --ratings is " + ratings
          + "; raise --ratings or lower --min-per-item");
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw BlockalsException.usage("--test-fraction must be >= 0 and < 1, got " + testFraction);
    }
    if (stars != 0 && stars != 0.5 && stars != 1) {
      throw BlockalsException.usage("--stars must be 0.5 (half stars) or 1 (whole stars), got " + stars);
    }
    if (stars != 0 && implicit) {
      throw BlockalsException.usage("--stars and --implicit exclude each other: play counts are not star ratings");
    }
  }

  /** The {@code generate} options that reproduce this spec (without {@code --output}). */
  public String toCommandLine() {
    StringBuilder sb = new StringBuilder();
    sb.append("--users ").append(users)
        .append(" --items ").append(items)
        .append(" --ratings ").append(ratings)
        .append(" --rank ").append(rank)
        .append(" --noise ").append(noise)
        .append(" --seed ").append(seed)
        .append(stringIds ? " --string-ids" : " --int-ids")
        .append(" --zipf ").append(itemZipf)
        .append(" --user-skew ").append(userSkew)
        .append(" --min-per-user ").append(minPerUser)
        .append(" --min-per-item ").append(minPerItem)
        .append(" --test-fraction ").append(testFraction);
    if (!biases) {
      sb.append(" --no-biases");
    }
    if (implicit) {
      sb.append(" --implicit");
    }
    if (stars != 0) {
      sb.append(" --stars ").append(stars);
    }
    return sb.toString();
  }
}
