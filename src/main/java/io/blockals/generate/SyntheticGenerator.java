package io.blockals.generate;

import io.blockals.BlockalsException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates planted-factor rating data ({@link #generate}); {@link PlantedFiles} writes it.
 *
 * <p>How a data set is made, step by step (each step draws from its own seeded streams, see {@link SplitMix64}):
 * <ol>
 *   <li>planted factors and biases (see {@link GeneratorSpec});</li>
 *   <li>item popularity: a seeded permutation of the items gets Zipf weights {@code (rank+1)^-itemZipf};</li>
 *   <li>user activity: {@code minPerUser} each, the rest shared in proportion to log-normal weights with sigma
 *       {@code userSkew}, capped at the number of items, rounded so that the total is exactly {@code ratings};</li>
 *   <li>each user's items: drawn without replacement from the popularity (times the implicit acceptance), by
 *       rejecting repeats, or, when a user's count nears what the distribution can give, by exponential keys
 *       (Efraimidis-Spirakis), which handles a user who rates every item; then shuffled into time order;</li>
 *   <li>items below {@code minPerItem} take over ratings of items above it (from users who lack them), which keeps
 *       every user's count and the pairs unique;</li>
 *   <li>the test split: each user's latest ratings, {@code testFraction} of them stochastically rounded, skipping
 *       any whose item would lose its last training rating, and always leaving the user one training rating;</li>
 *   <li>timestamps (each user active in a window of 30 days to 3 years starting between 2015 and 2020, strictly
 *       increasing) and values.</li>
 * </ol>
 */
public final class SyntheticGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(SyntheticGenerator.class);

  /** Planted global mean of explicit data with biases. */
  public static final double GLOBAL_MEAN = 3.5;
  /** The top of the star scale. */
  public static final double MAX_STARS = 5.0;
  /** Standard deviation of the planted user and item biases. */
  public static final double BIAS_SD = 0.5;

  // Implicit mode: an item drawn by popularity is kept with probability min(1, exp(x - shift)); counts are
  // 1 + Poisson(base * exp(x + noise * z)).
  static final double IMPLICIT_ACCEPT_SHIFT = 1.0;
  static final double IMPLICIT_BASE_RATE = 2.0;
  static final double IMPLICIT_MAX_RATE = 1e5;

  private static final long DAY = 86_400L;
  private static final long FIRST_START = 1_420_070_400L; // 2015-01-01T00:00:00Z
  private static final long START_SPREAD = 5 * 365 * DAY;
  private static final double MIN_WINDOW = 30.0 * DAY;
  private static final double MAX_WINDOW = 3 * 365.0 * DAY;

  // Purposes of the derived random streams; changing one changes the data of that purpose only.
  private static final long USER_FACTORS = 1;
  private static final long ITEM_FACTORS = 2;
  private static final long USER_BIASES = 3;
  private static final long ITEM_BIASES = 4;
  private static final long POPULARITY = 5;
  private static final long ACTIVITY = 6;
  private static final long USER_ITEMS = 7;
  private static final long REPAIR = 8;
  private static final long SPLIT = 9;
  private static final long VALUES = 10;
  private static final long USER_IDS = 11;
  private static final long ITEM_IDS = 12;

  private SyntheticGenerator() {}

  /**
   * Generates the data set a spec describes; the same spec gives the same arrays on any machine.
   *
   * @throws BlockalsException a usage error if the spec cannot be generated (see {@link GeneratorSpec#validate()})
   */
  public static PlantedData generate(GeneratorSpec spec) {
    spec.validate();
    long started = System.nanoTime();
    final int users = spec.users();
    final int items = spec.items();
    final int rank = spec.rank();
    final int total = (int) spec.ratings();
    final long seed = spec.seed();

    double factorSd = StrictMath.pow(rank, -0.25);
    float[] userFactors = gaussians(seed, USER_FACTORS, users * rank, factorSd);
    float[] itemFactors = gaussians(seed, ITEM_FACTORS, items * rank, factorSd);
    float[] userBias = spec.biases() ? gaussians(seed, USER_BIASES, users, BIAS_SD) : new float[users];
    float[] itemBias = spec.biases() ? gaussians(seed, ITEM_BIASES, items, BIAS_SD) : new float[items];
    double mu = spec.biases() && !spec.implicit() ? GLOBAL_MEAN : 0.0;

    int[] counts = userCounts(spec);
    int[] offsets = new int[users + 1];
    int maxCount = 0;
    for (int u = 0; u < users; u++) {
      offsets[u + 1] = offsets[u] + counts[u];
      maxCount = Math.max(maxCount, counts[u]);
    }

    // Which items each user rated, grouped by user in time order.
    int[] itemOf = new int[total];
    ItemSampler sampler = new ItemSampler(popularityWeights(spec), spec.implicit(), rank, userFactors,
        itemFactors, userBias, itemBias);
    for (int u = 0; u < users; u++) {
      sampler.sample(u, counts[u], new SplitMix64(SplitMix64.derive(seed, USER_ITEMS, u)), itemOf, offsets[u]);
    }
    int[] itemCount = new int[items];
    for (int i : itemOf) {
      itemCount[i]++;
    }
    int moved = ensureMinPerItem(spec.minPerItem(), itemOf, offsets, itemCount,
        new SplitMix64(SplitMix64.derive(seed, REPAIR, 0)));

    long[] testBits = new long[(total + 63) >>> 6];
    int testTotal = markTest(spec, counts, offsets, itemOf, itemCount, testBits);
    int trainTotal = total - testTotal;

    Rows train = new Rows(trainTotal);
    Rows test = new Rows(testTotal);
    drawValues(spec, new Planted(userFactors, itemFactors, userBias, itemBias, mu), counts, offsets, maxCount,
        itemOf, testBits, train, test);

    IdCodec userIds = new IdCodec(spec.stringIds(), "u_", users, SplitMix64.derive(seed, USER_IDS, 0));
    IdCodec itemIds = new IdCodec(spec.stringIds(), "i_", items, SplitMix64.derive(seed, ITEM_IDS, 0));
    LOG.info("Generated {} train and {} test {} for {} users x {} items (rank {}, {} ratings moved for min-per-item) "
        + "in {} ms", trainTotal, testTotal, spec.implicit() ? "play counts" : "ratings", users, items, rank, moved,
        (System.nanoTime() - started) / 1_000_000);
    return new PlantedData(spec, train.user, train.item, train.rating, train.timestamp, test.user, test.item,
        test.rating, test.timestamp, userFactors, itemFactors, userBias, itemBias, mu, userIds, itemIds);
  }

  /** The planted model: factors (row-major, rank per row), biases and the global mean. */
  private record Planted(float[] userFactors, float[] itemFactors, float[] userBias, float[] itemBias, double mu) {}

  /** Rating rows being filled in order. */
  private static final class Rows {
    final int[] user;
    final int[] item;
    final float[] rating;
    final long[] timestamp;
    private int size;

    Rows(int capacity) {
      user = new int[capacity];
      item = new int[capacity];
      rating = new float[capacity];
      timestamp = new long[capacity];
    }

    void add(int u, int i, float value, long time) {
      user[size] = u;
      item[size] = i;
      rating[size] = value;
      timestamp[size++] = time;
    }
  }

  /**
   * Each user's timestamps (sorted uniform times in the user's window, as normalised partial sums of exponential
   * gaps) and values, in time order, into {@code test} for the pairs marked in {@code testBits} and {@code train}
   * otherwise.
   */
  private static void drawValues(GeneratorSpec spec, Planted m, int[] counts, int[] offsets, int maxCount,
      int[] itemOf, long[] testBits, Rows train, Rows test) {
    int rank = spec.rank();
    double[] gaps = new double[maxCount + 1];
    for (int u = 0; u < counts.length; u++) {
      int n = counts[u];
      if (n == 0) {
        continue;
      }
      SplitMix64 rng = new SplitMix64(SplitMix64.derive(spec.seed(), VALUES, u));
      long start = FIRST_START + (long) (rng.nextDouble() * START_SPREAD);
      double window = MIN_WINDOW + rng.nextDouble() * (MAX_WINDOW - MIN_WINDOW);
      double gapSum = 0;
      for (int k = 0; k <= n; k++) {
        gaps[k] = rng.nextExponential();
        gapSum += gaps[k];
      }
      double elapsed = 0;
      long previous = start - 1;
      for (int k = 0; k < n; k++) {
        int p = offsets[u] + k;
        elapsed += gaps[k];
        long timestamp = Math.max(previous + 1, start + (long) (window * (elapsed / gapSum)));
        previous = timestamp;
        int i = itemOf[p];
        double score = m.mu + m.userBias[u] + m.itemBias[i] + dot(m.userFactors, u, m.itemFactors, i, rank);
        float value;
        if (spec.implicit()) {
          double rate = Math.min(IMPLICIT_MAX_RATE,
              IMPLICIT_BASE_RATE * StrictMath.exp(score + spec.noise() * rng.nextGaussian()));
          value = 1 + rng.nextPoisson(rate);
        } else {
          // Always drawn, also for noise 0, so that data differing only in noise share everything else.
          value = (float) stars(score + spec.noise() * rng.nextGaussian(), spec.stars());
        }
        ((testBits[p >>> 6] & (1L << p)) != 0 ? test : train).add(u, i, value, timestamp);
      }
    }
  }

  /** {@code v} rounded to the nearest multiple of {@code step} in [step, 5]; unchanged when step is 0. */
  static double stars(double v, double step) {
    if (step == 0) {
      return v;
    }
    return Math.min(MAX_STARS, Math.max(step, Math.rint(v / step) * step));
  }

  static double dot(float[] userFactors, int u, float[] itemFactors, int i, int rank) {
    double sum = 0;
    int pu = u * rank;
    int qi = i * rank;
    for (int f = 0; f < rank; f++) {
      sum += (double) userFactors[pu + f] * itemFactors[qi + f];
    }
    return sum;
  }

  private static float[] gaussians(long seed, long purpose, int n, double sd) {
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, purpose, 0));
    float[] out = new float[n];
    for (int j = 0; j < n; j++) {
      out[j] = (float) (sd * rng.nextGaussian());
    }
    return out;
  }

  /** Zipf weights over a seeded permutation, so that popularity is unrelated to the index (and the ids). */
  private static double[] popularityWeights(GeneratorSpec spec) {
    int items = spec.items();
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[i] = i;
    }
    shuffle(order, 0, items, new SplitMix64(SplitMix64.derive(spec.seed(), POPULARITY, 0)));
    double[] weights = new double[items];
    for (int r = 0; r < items; r++) {
      weights[order[r]] = spec.itemZipf() == 0 ? 1.0 : StrictMath.pow(r + 1.0, -spec.itemZipf());
    }
    return weights;
  }

  /**
   * Ratings per user: {@code minPerUser} each, the rest by water-filling in proportion to log-normal weights (no user
   * above the number of items), then largest-remainder rounding with seeded tie-breaks so that the sum is exact.
   */
  static int[] userCounts(GeneratorSpec spec) {
    int users = spec.users();
    int[] counts = new int[users];
    Arrays.fill(counts, spec.minPerUser());
    long left = spec.ratings() - (long) users * spec.minPerUser();
    if (left == 0) {
      return counts;
    }
    int capExtra = spec.items() - spec.minPerUser();
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(spec.seed(), ACTIVITY, 0));
    double[] weight = new double[users];
    for (int u = 0; u < users; u++) {
      weight[u] = spec.userSkew() == 0 ? 1.0 : StrictMath.exp(spec.userSkew() * rng.nextGaussian());
    }
    boolean[] capped = new boolean[users];
    double rate;
    while (true) {
      double open = 0;
      for (int u = 0; u < users; u++) {
        if (!capped[u]) {
          open += weight[u];
        }
      }
      rate = open > 0 ? left / open : 0;
      boolean changed = false;
      // Capping only raises the share of the others, so everything capped in this pass stays capped.
      for (int u = 0; u < users; u++) {
        if (!capped[u] && rate * weight[u] >= capExtra) {
          capped[u] = true;
          counts[u] += capExtra;
          left -= capExtra;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    int[] order = new int[users];
    for (int u = 0; u < users; u++) {
      order[u] = u;
    }
    shuffle(order, 0, users, rng);
    long[] byRemainder = new long[users];
    int open = 0;
    for (int pos = 0; pos < users; pos++) {
      int u = order[pos];
      if (capped[u]) {
        continue;
      }
      double ideal = rate * weight[u];
      long whole = Math.min((long) Math.floor(ideal), capExtra);
      counts[u] += (int) whole;
      left -= whole;
      long remainder = Math.max(0L, Math.min((1L << 31) - 1, (long) ((ideal - whole) * (1L << 31))));
      byRemainder[open++] = (remainder << 32) | pos;
    }
    Arrays.sort(byRemainder, 0, open);
    // Usually 0 <= left < open; the loops also absorb rounding drift of the floating-point shares.
    for (int k = open - 1; left > 0 && open > 0; k = (k == 0 ? open - 1 : k - 1)) {
      int u = order[(int) byRemainder[k]];
      if (counts[u] < spec.items()) {
        counts[u]++;
        left--;
      }
    }
    for (int k = 0; left < 0 && open > 0; k = (k + 1) % open) {
      int u = order[(int) byRemainder[k]];
      if (counts[u] > spec.minPerUser()) {
        counts[u]--;
        left++;
      }
    }
    return counts;
  }

  /**
   * Gives every item at least {@code min} ratings by moving ratings of items above the minimum from users who do not
   * have the item yet. There always is one: the total is at least items x min, so while item i is short some item j
   * has more than min ratings, hence more than i, hence a user with j and without i.
   *
   * @return the number of ratings moved
   */
  private static int ensureMinPerItem(int min, int[] itemOf, int[] offsets, int[] itemCount, SplitMix64 rng) {
    if (min == 0) {
      return 0;
    }
    int total = itemOf.length;
    int p = rng.nextInt(total);
    int u = 0;
    while (offsets[u + 1] <= p) {
      u++;
    }
    int moved = 0;
    for (int i = 0; i < itemCount.length; i++) {
      while (itemCount[i] < min) {
        long steps = 0;
        while (true) {
          p++;
          if (p == total) {
            p = 0;
            u = 0;
          }
          while (offsets[u + 1] <= p) {
            u++;
          }
          int j = itemOf[p];
          if (itemCount[j] > min && !contains(itemOf, offsets[u], offsets[u + 1], i)) {
            itemOf[p] = i;
            itemCount[j]--;
            itemCount[i]++;
            moved++;
            break;
          }
          if (++steps > total) {
            throw new IllegalStateException("cannot give item " + i + " at least " + min + " ratings");
          }
        }
      }
    }
    return moved;
  }

  private static boolean contains(int[] values, int from, int to, int value) {
    for (int p = from; p < to; p++) {
      if (values[p] == value) {
        return true;
      }
    }
    return false;
  }

  /**
   * Marks each user's latest ratings as test: {@code testFraction * n} stochastically rounded, at most {@code n - 1},
   * skipping ratings whose item has no other training rating. Updates {@code itemCount} to training counts.
   *
   * @return the number of test ratings
   */
  private static int markTest(GeneratorSpec spec, int[] counts, int[] offsets, int[] itemOf, int[] itemCount,
      long[] testBits) {
    double fraction = spec.testFraction();
    if (fraction == 0) {
      return 0;
    }
    int marked = 0;
    for (int u = 0; u < counts.length; u++) {
      int n = counts[u];
      if (n < 2) {
        continue;
      }
      SplitMix64 rng = new SplitMix64(SplitMix64.derive(spec.seed(), SPLIT, u));
      double target = fraction * n;
      int wanted = (int) target;
      if (rng.nextDouble() < target - wanted) {
        wanted++;
      }
      wanted = Math.min(wanted, n - 1);
      for (int p = offsets[u + 1] - 1; p >= offsets[u] && wanted > 0; p--) {
        int i = itemOf[p];
        if (itemCount[i] > 1) {
          testBits[p >>> 6] |= 1L << p;
          itemCount[i]--;
          wanted--;
          marked++;
        }
      }
    }
    return marked;
  }

  static void shuffle(int[] values, int from, int length, SplitMix64 rng) {
    for (int k = length - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int tmp = values[from + k];
      values[from + k] = values[from + j];
      values[from + j] = tmp;
    }
  }


}
