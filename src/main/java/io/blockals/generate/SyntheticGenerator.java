package io.blockals.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blockals.BlockalsException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates planted-factor rating data ({@link #generate}) and writes it as CSV ({@link #write}).
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
  /** Standard deviation of the planted user and item biases. */
  public static final double BIAS_SD = 0.5;
  /** Digits after the decimal point of written explicit ratings (rounding error at most 5e-5, far below sigma). */
  public static final int RATING_DECIMALS = 4;
  /** Header of train.csv and test.csv. */
  public static final String HEADER = "user,item,rating,timestamp";
  public static final String TRAIN_FILE = "train.csv";
  public static final String TEST_FILE = "test.csv";
  public static final String SPEC_FILE = "generator.json";

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

    int[] trainUser = new int[trainTotal];
    int[] trainItem = new int[trainTotal];
    float[] trainRating = new float[trainTotal];
    long[] trainTimestamp = new long[trainTotal];
    int[] testUser = new int[testTotal];
    int[] testItem = new int[testTotal];
    float[] testRating = new float[testTotal];
    long[] testTimestamp = new long[testTotal];

    double[] gaps = new double[maxCount + 1];
    int tr = 0;
    int te = 0;
    for (int u = 0; u < users; u++) {
      int n = counts[u];
      if (n == 0) {
        continue;
      }
      SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, VALUES, u));
      // Sorted uniform times in the user's window, as normalised partial sums of exponential gaps.
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
        double score = mu + userBias[u] + itemBias[i] + dot(userFactors, u, itemFactors, i, rank);
        float value;
        if (spec.implicit()) {
          double rate = Math.min(IMPLICIT_MAX_RATE,
              IMPLICIT_BASE_RATE * StrictMath.exp(score + spec.noise() * rng.nextGaussian()));
          value = 1 + rng.nextPoisson(rate);
        } else {
          // Always drawn, also for noise 0, so that data differing only in noise share everything else.
          value = (float) (score + spec.noise() * rng.nextGaussian());
        }
        if ((testBits[p >>> 6] & (1L << p)) != 0) {
          testUser[te] = u;
          testItem[te] = i;
          testRating[te] = value;
          testTimestamp[te++] = timestamp;
        } else {
          trainUser[tr] = u;
          trainItem[tr] = i;
          trainRating[tr] = value;
          trainTimestamp[tr++] = timestamp;
        }
      }
    }

    IdCodec userIds = new IdCodec(spec.stringIds(), "u_", users, SplitMix64.derive(seed, USER_IDS, 0));
    IdCodec itemIds = new IdCodec(spec.stringIds(), "i_", items, SplitMix64.derive(seed, ITEM_IDS, 0));
    LOG.info("Generated {} train and {} test {} for {} users x {} items (rank {}, {} ratings moved for min-per-item) "
        + "in {} ms", trainTotal, testTotal, spec.implicit() ? "play counts" : "ratings", users, items, rank, moved,
        (System.nanoTime() - started) / 1_000_000);
    return new PlantedData(spec, trainUser, trainItem, trainRating, trainTimestamp, testUser, testItem, testRating,
        testTimestamp, userFactors, itemFactors, userBias, itemBias, mu, userIds, itemIds);
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

  /** Draws a user's items without replacement; one instance is reused for all users. */
  private static final class ItemSampler {
    private final double[] popularity;
    private final AliasTable alias;
    private final boolean implicit;
    private final int rank;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final float[] userBias;
    private final float[] itemBias;
    private final int[] mark;
    private int stamp;
    private long[] keys;

    ItemSampler(double[] popularity, boolean implicit, int rank, float[] userFactors, float[] itemFactors,
        float[] userBias, float[] itemBias) {
      this.popularity = popularity;
      this.alias = new AliasTable(popularity);
      this.implicit = implicit;
      this.rank = rank;
      this.userFactors = userFactors;
      this.itemFactors = itemFactors;
      this.userBias = userBias;
      this.itemBias = itemBias;
      this.mark = new int[popularity.length];
    }

    /** Implicit mode: probability of keeping an item drawn by popularity. */
    private double acceptance(int u, int i) {
      double affinity = userBias[u] + itemBias[i] + dot(userFactors, u, itemFactors, i, rank);
      return Math.min(1.0, StrictMath.exp(affinity - IMPLICIT_ACCEPT_SHIFT));
    }

    void sample(int u, int count, SplitMix64 rng, int[] out, int offset) {
      if (count == 0) {
        return;
      }
      stamp++;
      // Rejection is fast while most draws are new; when the user's count nears what the distribution can give
      // (heavy users, tail items), the budget runs out and the exact O(items log items) method takes over.
      long budget = (implicit ? 12L : 4L) * count + 64;
      int got = 0;
      while (got < count && budget-- > 0) {
        int i = alias.sample(rng);
        if (mark[i] == stamp || (implicit && rng.nextDouble() >= acceptance(u, i))) {
          continue;
        }
        mark[i] = stamp;
        out[offset + got++] = i;
      }
      if (got < count) {
        byExponentialKeys(u, count, rng, out, offset);
      }
      // Draw order favours popular items first; a shuffle makes the time order independent of popularity.
      shuffle(out, offset, count, rng);
    }

    /**
     * Weighted sampling without replacement by Efraimidis-Spirakis keys: the {@code count} smallest of
     * {@code Exp(1) / weight} (float key in the high half, item in the low half of one sortable long).
     */
    private void byExponentialKeys(int u, int count, SplitMix64 rng, int[] out, int offset) {
      int items = popularity.length;
      if (keys == null) {
        keys = new long[items];
      }
      for (int i = 0; i < items; i++) {
        double weight = implicit ? popularity[i] * acceptance(u, i) : popularity[i];
        float key = (float) (rng.nextExponential() / weight);
        keys[i] = ((long) Float.floatToRawIntBits(key) << 32) | i;
      }
      Arrays.sort(keys);
      for (int k = 0; k < count; k++) {
        out[offset + k] = (int) keys[k];
      }
    }
  }

  /**
   * Writes {@code <dir>/train.csv}, {@code <dir>/test.csv} (only when there are test rows; a test.csv left by an
   * earlier run is removed) and {@code <dir>/generator.json} (the spec, the command line that regenerates the data,
   * counts and noise floor) through Hadoop's FileSystem, so {@code dir} may be any Hadoop path. Other files in
   * {@code dir} are left alone. The CSV header is {@value #HEADER}; explicit ratings carry {@value #RATING_DECIMALS}
   * decimals, play counts none. The files are a deterministic function of the data.
   */
  public static void write(PlantedData data, String dir, Configuration conf) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(conf, "conf");
    long started = System.nanoTime();
    Path base = new Path(dir);
    // A private instance: switching off .crc side files must not affect the cached FileSystem others share.
    try (FileSystem fs = FileSystem.newInstance(base.toUri(), conf)) {
      fs.setWriteChecksum(false);
      Path target = fs.makeQualified(base);
      if (fs.exists(target) && !fs.getFileStatus(target).isDirectory()) {
        throw BlockalsException.usage("--output " + dir + " is an existing file; give a directory");
      }
      if (!fs.mkdirs(target)) {
        throw new IOException("could not create the directory " + target);
      }
      byte[][] itemIds = new byte[data.numItems()][];
      for (int i = 0; i < itemIds.length; i++) {
        itemIds[i] = data.itemId(i).getBytes(StandardCharsets.UTF_8);
      }
      writeRows(fs, new Path(target, TRAIN_FILE), data, itemIds, data.trainUser(), data.trainItem(),
          data.trainRating(), data.trainTimestamp());
      Path test = new Path(target, TEST_FILE);
      if (data.numTest() > 0) {
        writeRows(fs, test, data, itemIds, data.testUser(), data.testItem(), data.testRating(),
            data.testTimestamp());
      } else if (fs.exists(test)) {
        fs.delete(test, false);
      }
      Path specFile = new Path(target, SPEC_FILE);
      deleteIfExists(fs, specFile);
      try (OutputStream out = fs.create(specFile, true)) {
        out.write(describe(data).getBytes(StandardCharsets.UTF_8));
      }
      LOG.info("Wrote {} train and {} test rows to {} in {} ms", data.numTrain(), data.numTest(), target,
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the synthetic data to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes a file we are about to rewrite, with any checksum side file an earlier writer left beside it. */
  private static void deleteIfExists(FileSystem fs, Path path) throws IOException {
    if (fs.exists(path)) {
      fs.delete(path, false);
    }
  }

  private static void writeRows(FileSystem fs, Path path, PlantedData data, byte[][] itemIds, int[] users,
      int[] items, float[] values, long[] timestamps) throws IOException {
    deleteIfExists(fs, path);
    boolean counts = data.implicit();
    try (CsvSink sink = new CsvSink(fs.create(path, true))) {
      sink.ascii(HEADER + "\n");
      int lastUser = -1;
      byte[] userId = null;
      for (int r = 0; r < users.length; r++) {
        if (users[r] != lastUser) {
          lastUser = users[r];
          userId = data.userId(lastUser).getBytes(StandardCharsets.UTF_8);
        }
        sink.bytes(userId);
        sink.separator(',');
        sink.bytes(itemIds[items[r]]);
        sink.separator(',');
        if (counts) {
          sink.longValue((long) values[r]);
        } else {
          sink.fixed(values[r], RATING_DECIMALS);
        }
        sink.separator(',');
        sink.longValue(timestamps[r]);
        sink.separator('\n');
      }
    }
  }

  /** generator.json: snake_case keys, no creation time, so that the same data gives the same bytes. */
  static String describe(PlantedData data) {
    GeneratorSpec s = data.spec();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("users", s.users());
    spec.put("items", s.items());
    spec.put("ratings", s.ratings());
    spec.put("rank", s.rank());
    spec.put("noise", s.noise());
    spec.put("seed", s.seed());
    spec.put("string_ids", s.stringIds());
    spec.put("item_zipf", s.itemZipf());
    spec.put("user_skew", s.userSkew());
    spec.put("min_per_user", s.minPerUser());
    spec.put("min_per_item", s.minPerItem());
    spec.put("test_fraction", s.testFraction());
    spec.put("biases", s.biases());
    spec.put("implicit", s.implicit());
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("train", TRAIN_FILE);
    if (data.numTest() > 0) {
      files.put("test", TEST_FILE);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", "blockals planted-factor synthetic data");
    m.put("format_version", 1);
    m.put("command", "generate " + s.toCommandLine());
    m.put("model", s.implicit()
        ? "count = 1 + Poisson(" + IMPLICIT_BASE_RATE + " * exp(b_u + b_i + p_u.q_i + noise * z)), items kept "
            + "with probability min(1, exp(b_u + b_i + p_u.q_i - " + IMPLICIT_ACCEPT_SHIFT + "))"
        : "rating = global_mean + b_u + b_i + p_u.q_i + N(0, noise^2)");
    m.put("spec", spec);
    m.put("global_mean", data.globalMean());
    m.put("noise_floor", s.implicit() ? null : data.noiseFloor());
    m.put("columns", HEADER);
    m.put("rating_decimals", s.implicit() ? 0 : RATING_DECIMALS);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("train", data.numTrain());
    counts.put("test", data.numTest());
    m.put("counts", counts);
    m.put("files", files);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("generator.json: " + e.getMessage(), e);
    }
  }
}
