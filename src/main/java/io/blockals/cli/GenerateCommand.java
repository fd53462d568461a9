package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.PlantedFiles;
import io.blockals.generate.SyntheticGenerator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: writes planted-factor synthetic ratings (train.csv, test.csv, generator.json) for tests,
 * benchmarks and demos. Needs no Spark, only Hadoop's FileSystem, so the output may be any Hadoop path.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Generate synthetic ratings from planted factors with a known noise floor:",
        "  rating = mu + b_u + b_i + p_u.q_i + N(0, noise^2), so a perfect model has a held-out RMSE of --noise.",
        "Writes <output>/train.csv, <output>/test.csv (with --test-fraction > 0) and <output>/generator.json.",
        "The same options and seed always give the same files."})
public final class GenerateCommand implements Callable<Integer> {
  private static final GeneratorSpec DEFAULTS = GeneratorSpec.defaults();

  @Spec
  CommandSpec commandSpec;

  @Option(names = "--output", required = true, paramLabel = "<dir>",
      description = "Output directory (any Hadoop path: local, file:, hdfs:, s3a:, ...).")
  String output;

  @Option(names = "--users", paramLabel = "<n>", description = "Number of users (default: ${DEFAULT-VALUE}).")
  int users = DEFAULTS.users();

  @Option(names = "--items", paramLabel = "<m>", description = "Number of items (default: ${DEFAULT-VALUE}).")
  int items = DEFAULTS.items();

  @Option(names = "--ratings", paramLabel = "<r>",
      description = "Total ratings, train and test together; at most users x items (default: ${DEFAULT-VALUE}).")
  long ratings = DEFAULTS.ratings();

  @Option(names = "--rank", paramLabel = "<k>", description = "Number of planted factors (default: ${DEFAULT-VALUE}).")
  int rank = DEFAULTS.rank();

  @Option(names = "--noise", paramLabel = "<sigma>",
      description = "Noise standard deviation, the RMSE floor of explicit data (default: ${DEFAULT-VALUE}).")
  double noise = DEFAULTS.noise();

  @Option(names = "--seed", paramLabel = "<x>", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(names = "--string-ids", description = "Ids like u_3f9a1c / i_0b71e2 (the default).")
  boolean stringIds;

  @Option(names = "--int-ids", description = "Scrambled numeric ids above 10^12 instead of string ids.")
  boolean intIds;

  @Option(names = "--zipf", paramLabel = "<z>",
      description = "Item popularity exponent: 0 uniform, about 1 a realistic long tail (default: ${DEFAULT-VALUE}).")
  double zipf = DEFAULTS.itemZipf();

  @Option(names = "--user-skew", paramLabel = "<v>",
      description = "Log-normal sigma of user activity; 0 gives every user the same count (default: ${DEFAULT-VALUE}).")
  double userSkew = DEFAULTS.userSkew();

  @Option(names = "--min-per-user", paramLabel = "<m>",
      description = "Minimum ratings per user (default: ${DEFAULT-VALUE}).")
  int minPerUser = DEFAULTS.minPerUser();

  @Option(names = "--min-per-item", paramLabel = "<m>",
      description = "Minimum ratings per item (default: ${DEFAULT-VALUE}).")
  int minPerItem = DEFAULTS.minPerItem();

  @Option(names = "--test-fraction", paramLabel = "<f>",
      description = "Fraction of each user's latest ratings held out into test.csv, 0 <= f < 1 "
          + "(default: ${DEFAULT-VALUE}).")
  double testFraction = DEFAULTS.testFraction();

  @Option(names = "--no-biases", description = "Plant no global mean and no user/item biases.")
  boolean noBiases;

  @Option(names = "--stars", paramLabel = "<step>",
      description = "Star ratings: each rounded to a multiple of <step> (0.5 or 1) within [<step>, 5]; the noise "
          + "floor is then the planted model's test RMSE. Default: continuous, unclipped ratings.")
  double stars;

  @Option(names = "--realistic",
      description = "Shaped like real star ratings: --zipf 1.0 --user-skew 1.3 --min-per-user 1 --noise 0.6 --rank 8 "
          + "--stars 0.5 unless given.")
  boolean realistic;

  @Option(names = "--implicit",
      description = "Write positive play counts driven by the planted affinity instead of ratings (no noise floor).")
  boolean implicit;

  /** The spec the options describe, validated. */
  GeneratorSpec toSpec() {
    if (output == null || output.isBlank()) {
      throw BlockalsException.usage("--output must name a directory to write the data into");
    }
    if (stringIds && intIds) {
      throw BlockalsException.usage("--string-ids and --int-ids exclude each other; give at most one");
    }
    boolean useStrings = stringIds || (!intIds && DEFAULTS.stringIds());
    if (realistic) {
      GeneratorSpec r = GeneratorSpec.realistic(users, items, ratings, seed);
      zipf = given("--zipf") ? zipf : r.itemZipf();
      userSkew = given("--user-skew") ? userSkew : r.userSkew();
      minPerUser = given("--min-per-user") ? minPerUser : r.minPerUser();
      noise = given("--noise") ? noise : r.noise();
      rank = given("--rank") ? rank : r.rank();
      stars = given("--stars") ? stars : r.stars();
    }
    GeneratorSpec spec = new GeneratorSpec(users, items, ratings, rank, noise, seed, useStrings, zipf, userSkew,
        minPerUser, testFraction, !noBiases, implicit, minPerItem, stars);
    spec.validate();
    return spec;
  }

  /** True if the option was on the command line (not just its default). */
  private boolean given(String option) {
    return commandSpec != null && commandSpec.commandLine().getParseResult() != null
        && commandSpec.commandLine().getParseResult().hasMatchedOption(option);
  }

  @Override
  public Integer call() {
    GeneratorSpec spec = toSpec();
    PlantedData data = SyntheticGenerator.generate(spec);
    PlantedFiles.write(data, output, new Configuration());
    String floor = data.implicit() ? "none (implicit)" : String.format(Locale.ROOT, "%.4g", data.noiseFloor());
    String files = data.numTest() > 0 ? "train.csv, test.csv, generator.json" : "train.csv, generator.json";
    PrintWriter out = commandSpec != null ? commandSpec.commandLine().getOut() : new PrintWriter(System.out, true);
    out.printf(Locale.ROOT, "Wrote %d train and %d test %s (%d users, %d items, rank %d, noise floor %s) to %s (%s)%n",
        data.numTrain(), data.numTest(), data.implicit() ? "play counts" : "ratings", spec.users(), spec.items(),
        spec.rank(), floor, output, files);
    out.flush();
    return 0;
  }
}
