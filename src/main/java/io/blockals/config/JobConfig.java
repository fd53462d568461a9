package io.blockals.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.blockals.BlockalsException;
import io.blockals.data.BadRowPolicy;
import io.blockals.data.InputSpec;
import io.blockals.engine.AlsParams;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.kernel.Solvers;
import io.blockals.model.PublishOptions;
import io.blockals.model.QualityGate;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The resolved, validated configuration of one job. Precedence: {@code --set key=value} &gt; the {@code --config}
 * file &gt; {@code blockals/defaults.conf}. Every value is read and checked in the constructor, so a typo fails the
 * run (exit 2) before any Spark work starts. Lives on the driver only; the engine gets {@link AlsParams}.
 */
public final class JobConfig {
  private static final String DEFAULTS = "blockals/defaults.conf";
  /** A run id becomes a folder name (run=<id>): no separators, no leading dot or underscore (hidden names). */
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Config config;
  private final Set<String> userKeys;

  private final int rank;
  private final int maxIter;
  private final double regParam;
  private final boolean implicit;
  private final double alpha;
  private final AlsParams.AlphaScaling alphaScaling;
  private final double epsilon;
  private final boolean biases;
  private final boolean nonnegative;
  private final String solver;
  private final int numUserBlocks;
  private final int numItemBlocks;
  private final long seed;
  private final int checkpointInterval;
  private final String checkpointDir;
  private final DuplicatePolicy duplicates;
  private final double validationFraction;
  private final double tolerance;
  private final int patience;
  private final String initModel;
  private final boolean cacheInput;
  private final InputSpec inputSpec;
  private final PublishOptions publish;
  private final QualityGate qualityGate;

  private JobConfig(Config config, Set<String> userKeys) {
    this.config = config;
    this.userKeys = userKeys;
    Set<String> known = new TreeSet<>(defaults().root().keySet());
    for (String key : userKeys) {
      if (!known.contains(key)) {
        throw BlockalsException.usage("unknown config key '" + key + "'" + suggestion(key, known)
            + "; the keys are listed with their defaults in blockals/defaults.conf (see README)");
      }
    }
    rank = intAtLeast("rank", 1);
    maxIter = intAtLeast("max_iter", 0);
    regParam = doubleAtLeast("reg_param", 0.0);
    implicit = bool("implicit");
    alpha = doubleAtLeast("alpha", 0.0);
    alphaScaling = readAlphaScaling();
    epsilon = doubleAtLeast("epsilon", 0.0);
    if (epsilon == 0) {
      throw BlockalsException.usage("epsilon = 0 must be above 0: it is the value scale of alpha_scaling = log, "
          + "c = 1 + alpha * log(1 + r / epsilon), e.g. epsilon = 1");
    }
    nonnegative = bool("nonnegative");
    biases = readBiases(implicit, nonnegative);
    solver = readSolver(nonnegative);
    numUserBlocks = intAtLeast("num_user_blocks", 0);
    numItemBlocks = intAtLeast("num_item_blocks", 0);
    seed = getOrUsage("seed", () -> config.getLong("seed"));
    checkpointInterval = intAtLeast("checkpoint_interval", 0);
    checkpointDir = str("checkpoint_dir");
    duplicates = DuplicatePolicy.parse(str("duplicates"));
    validationFraction = doubleAtLeast("validation_fraction", 0.0);
    if (validationFraction >= 0.5) {
      throw BlockalsException.usage("validation_fraction = " + validationFraction + " must be below 0.5");
    }
    tolerance = doubleAtLeast("tolerance", 0.0);
    if (tolerance >= 1) {
      throw BlockalsException.usage("tolerance = " + tolerance + " must be below 1 (a fraction of the loss, e.g. "
          + "1e-4; 0 = off)");
    }
    patience = intAtLeast("patience", 0);
    if (patience > 0 && validationFraction == 0) {
      throw BlockalsException.usage("patience compares validation RMSE from iteration to iteration: also set "
          + "validation_fraction, e.g. --set validation_fraction=0.1");
    }
    initModel = str("init_model").trim();
    cacheInput = bool("cache_input");
    inputSpec = readInput();
    publish = readPublish();
    qualityGate = readQualityGate(validationFraction);
  }

  // ---- one reader per section of defaults.conf ----

  /** Model: {@code biases = auto | true | false}, checked against implicit feedback and non-negative factors. */
  private boolean readBiases(boolean implicit, boolean nonnegative) {
    String b = str("biases").toLowerCase(Locale.ROOT);
    boolean on = switch (b) {
      case "auto" -> !implicit && !nonnegative;
      case "true" -> true;
      case "false" -> false;
      default -> throw BlockalsException.usage("biases = '" + b + "' must be auto, true or false");
    };
    if (on && implicit) {
      throw BlockalsException.usage("biases = true is not supported with implicit = true; set biases = auto or false");
    }
    if (on && nonnegative) {
      throw BlockalsException.usage(
          "biases = true is not supported with nonnegative = true (a bias may need to be negative); set biases = false");
    }
    return on;
  }

  /** Model: {@code alpha_scaling = linear | log}. */
  private AlsParams.AlphaScaling readAlphaScaling() {
    String a = str("alpha_scaling").trim().toLowerCase(Locale.ROOT);
    return switch (a) {
      case "linear" -> AlsParams.AlphaScaling.LINEAR;
      case "log" -> AlsParams.AlphaScaling.LOG;
      default -> throw BlockalsException.usage("alpha_scaling = '" + a + "' must be linear (c = 1 + alpha * r) or "
          + "log (c = 1 + alpha * log(1 + r / epsilon))");
    };
  }

  /** Model: the solver name, checked by the kernel that will use it. */
  private String readSolver(boolean nonnegative) {
    String name = str("solver").toLowerCase(Locale.ROOT);
    try {
      Solvers.forName(name, nonnegative);
    } catch (IllegalArgumentException e) {
      throw BlockalsException.usage("solver: " + e.getMessage());
    }
    return name;
  }

  /** Input: format, columns, delimiter, header, rating bounds and the bad-row policy. */
  private InputSpec readInput() {
    double minRating = optionalDouble("min_rating", Double.NEGATIVE_INFINITY);
    double maxRating = optionalDouble("max_rating", Double.POSITIVE_INFINITY);
    if (minRating > maxRating) {
      throw BlockalsException.usage("min_rating " + minRating + " is above max_rating " + maxRating);
    }
    double maxBad = doubleAtLeast("max_bad_fraction", 0.0);
    if (maxBad > 1.0) {
      throw BlockalsException.usage("max_bad_fraction = " + maxBad + " must be between 0 and 1");
    }
    String format = str("format").toLowerCase(Locale.ROOT);
    if (!List.of("auto", "csv", "tsv", "parquet", "movielens").contains(format)) {
      throw BlockalsException.usage("format = '" + format + "' is not one of auto, csv, tsv, parquet, movielens");
    }
    return new InputSpec(format, str("user_col"), str("item_col"), str("rating_col"), str("timestamp_col"),
        str("delimiter"), bool("header"), minRating, maxRating, BadRowPolicy.parse(str("bad_rows")), maxBad);
  }

  /** Publishing: layout, run id and whether the store renames atomically. */
  private PublishOptions readPublish() {
    PublishOptions.Layout layout = PublishOptions.Layout.parse(str("layout"));
    if (layout == null) {
      throw BlockalsException.usage("layout = '" + str("layout") + "' must be plain or dated");
    }
    String runId = str("run_id").trim();
    if (!runId.isEmpty() && !RUN_ID.matcher(runId).matches()) {
      throw BlockalsException.usage("run_id = '" + runId + "' may hold only letters, digits, '.', '_' and '-' "
          + "(starting with a letter or digit, at most 128), e.g. run_id = 20250131");
    }
    String atomic = str("atomic_rename").trim().toLowerCase(Locale.ROOT);
    Boolean atomicRename = switch (atomic) {
      case "auto" -> null;
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw BlockalsException.usage("atomic_rename = '" + atomic + "' must be auto, true or false");
    };
    return new PublishOptions(layout, runId.isEmpty() ? null : runId, atomicRename);
  }

  /** The quality gate: min_improvement or max_regression, which need a validation set. */
  private QualityGate readQualityGate(double validationFraction) {
    double minImprovement = optionalDouble("min_improvement", Double.NaN);
    double maxRegression = optionalDouble("max_regression", Double.NaN);
    if (!Double.isNaN(minImprovement) && (minImprovement < 0 || minImprovement >= 1)) {
      throw BlockalsException.usage("min_improvement = " + minImprovement + " must be a fraction in [0, 1), "
          + "e.g. 0.01 for 'at least 1% lower validation RMSE'");
    }
    if (!Double.isNaN(maxRegression) && maxRegression < 0) {
      throw BlockalsException.usage("max_regression = " + maxRegression + " must be a fraction >= 0, "
          + "e.g. 0.02 for 'at most 2% higher validation RMSE'");
    }
    if (!Double.isNaN(minImprovement) && !Double.isNaN(maxRegression)) {
      throw BlockalsException.usage("set min_improvement or max_regression, not both (min_improvement 0 already "
          + "means 'not worse')");
    }
    QualityGate gate = new QualityGate(Double.isNaN(minImprovement) ? null : minImprovement,
        Double.isNaN(maxRegression) ? null : maxRegression);
    if (gate.enabled() && validationFraction == 0) {
      throw BlockalsException.usage("the quality gate (min_improvement / max_regression) compares validation RMSE: "
          + "also set validation_fraction, e.g. --set validation_fraction=0.1");
    }
    return gate;
  }

  /** The defaults alone. */
  public static JobConfig defaultsOnly() {
    return load(null, Map.of(), new Configuration(false));
  }

  /**
   * Loads the defaults, the optional config file (HOCON, JSON or properties, read through Hadoop so it may live on
   * any file system) and the overrides, and validates the result.
   */
  public static JobConfig load(String configPath, Map<String, String> overrides, Configuration hadoopConf) {
    Config user = ConfigFactory.empty();
    if (configPath != null) {
      user = parseFile(configPath, hadoopConf);
    }
    Map<String, Object> set = new LinkedHashMap<>();
    overrides.forEach((k, v) -> set.put(k, v));
    Config cli = ConfigFactory.parseMap(set, "--set");
    Config merged = cli.withFallback(user);
    Set<String> userKeys = new TreeSet<>(merged.root().keySet());
    try {
      Config resolved = merged.withFallback(defaults()).resolve(ConfigResolveOptions.defaults());
      return new JobConfig(resolved, userKeys);
    } catch (ConfigException e) {
      throw BlockalsException.usage("configuration: " + e.getMessage());
    }
  }

  private static Config defaults() {
    return ConfigFactory.parseResources(JobConfig.class.getClassLoader(), DEFAULTS,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  private static Config parseFile(String path, Configuration hadoopConf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(hadoopConf);
      if (!fs.exists(p)) {
        throw BlockalsException.usage("config file does not exist: " + path);
      }
      try (Reader r = new InputStreamReader(fs.open(p), StandardCharsets.UTF_8)) {
        var syntax = path.endsWith(".properties") ? com.typesafe.config.ConfigSyntax.PROPERTIES
            : path.endsWith(".json") ? com.typesafe.config.ConfigSyntax.JSON : com.typesafe.config.ConfigSyntax.CONF;
        return ConfigFactory.parseReader(r, ConfigParseOptions.defaults().setSyntax(syntax).setOriginDescription(path));
      }
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read config file " + path + ": " + e.getMessage());
    } catch (ConfigException e) {
      throw BlockalsException.usage("config file " + path + ": " + e.getMessage());
    }
  }

  // ---- typed access ----

  public int rank() {
    return rank;
  }

  public int maxIter() {
    return maxIter;
  }

  public double regParam() {
    return regParam;
  }

  public boolean implicit() {
    return implicit;
  }

  public double alpha() {
    return alpha;
  }

  public AlsParams.AlphaScaling alphaScaling() {
    return alphaScaling;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean biases() {
    return biases;
  }

  public boolean nonnegative() {
    return nonnegative;
  }

  public String solver() {
    return solver;
  }

  public long seed() {
    return seed;
  }

  public int checkpointInterval() {
    return checkpointInterval;
  }

  /** Empty when the job should pick a folder next to the output. */
  public String checkpointDir() {
    return checkpointDir;
  }

  /** Keep the parsed input cached between validation and training instead of parsing the files twice. */
  public boolean cacheInput() {
    return cacheInput;
  }

  public double validationFraction() {
    return validationFraction;
  }

  /** Stop once the training loss falls by less than this fraction in an iteration; 0 = off. */
  public double tolerance() {
    return tolerance;
  }

  /** Stop after this many iterations without a lower validation RMSE, keeping the best; 0 = off. */
  public int patience() {
    return patience;
  }

  /** The model (directory or dated root) to start from; empty for a cold start. */
  public String initModel() {
    return initModel;
  }

  public DuplicatePolicy duplicates() {
    return duplicates;
  }

  public InputSpec inputSpec() {
    return inputSpec;
  }

  /** Output layout, run id and rename semantics ({@code layout}, {@code run_id}, {@code atomic_rename}). */
  public PublishOptions publish() {
    return publish;
  }

  /** The quality gate ({@code min_improvement} / {@code max_regression}); {@link QualityGate#enabled()} may be false. */
  public QualityGate qualityGate() {
    return qualityGate;
  }

  /** True if the user set this key (in the config file or with --set) rather than taking the default. */
  public boolean isSetByUser(String key) {
    return userKeys.contains(key);
  }

  /** The engine parameters; block counts of 0 become {@code defaultParallelism}. */
  public AlsParams alsParams(int defaultParallelism) {
    int nu = numUserBlocks > 0 ? numUserBlocks : Math.max(1, defaultParallelism);
    int ni = numItemBlocks > 0 ? numItemBlocks : Math.max(1, defaultParallelism);
    return new AlsParams(rank, maxIter, regParam, implicit, alpha, biases, nonnegative, solver, nu, ni, seed,
        checkpointInterval, duplicates, tolerance, patience, alphaScaling, epsilon);
  }

  /** Every resolved key and value (strings, numbers, booleans), in key order, for model.json. */
  public Map<String, Object> resolvedValues() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : new TreeSet<>(config.root().keySet())) {
      ConfigValue v = config.root().get(key);
      out.put(key, v.unwrapped());
    }
    out.put("biases", biases);
    return out;
  }

  // ---- helpers ----

  private String str(String key) {
    return getOrUsage(key, () -> config.getString(key));
  }

  private boolean bool(String key) {
    return getOrUsage(key, () -> config.getBoolean(key));
  }

  private int intAtLeast(String key, int min) {
    int v = getOrUsage(key, () -> config.getInt(key));
    if (v < min) {
      throw BlockalsException.usage(key + " = " + v + " must be at least " + min);
    }
    return v;
  }

  private double doubleAtLeast(String key, double min) {
    double v = getOrUsage(key, () -> config.getDouble(key));
    if (!(v >= min) || Double.isInfinite(v)) {
      throw BlockalsException.usage(key + " = " + v + " must be a finite number >= " + min);
    }
    return v;
  }

  private double optionalDouble(String key, double absent) {
    String s = str(key).trim();
    if (s.isEmpty()) {
      return absent;
    }
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw BlockalsException.usage(key + " = '" + s + "' is not a finite number (leave it empty for no bound)");
    }
  }

  private <T> T getOrUsage(String key, java.util.function.Supplier<T> get) {
    try {
      return get.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw BlockalsException.usage("config key " + key + ": " + e.getMessage());
    }
  }

  /** ", did you mean 'rank'?" for a key within two edits of a known one. */
  static String suggestion(String key, Set<String> known) {
    String best = null;
    int bestDist = 3;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDist) {
        bestDist = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
