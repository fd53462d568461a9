package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.job.SplitJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code split --input <path> --output <dir> --method random|user|time}: train and test sets from one input. */
@Command(name = "split", mixinStandardHelpOptions = true,
    description = {"Split ratings into <output>/train and <output>/test (every input row on exactly one side).",
        "random: a fraction of all (user, item) pairs. user: a fraction (or --leave-out n) of each user's pairs, "
            + "users with too few kept whole in train. time: each user's latest pairs (--leave-out n, default 1, "
            + "or --fraction), or every row with a timestamp at or after --before.",
        "The same input and seed give the same split."})
final class SplitCommand implements Callable<Integer> {
  /** The timestamp column a time split reads when the config names none. */
  static final String DEFAULT_TIMESTAMP_COL = "timestamp";

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Ratings, as for train.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where train/ and test/ go.")
  String output;

  @Option(names = "--method", required = true, paramLabel = "METHOD", description = "random, user or time.")
  String method;

  @Option(names = "--fraction", paramLabel = "F",
      description = "Share of pairs held out (random: of all; user, time: of each user's). Default "
          + SplitJob.Options.DEFAULT_FRACTION + " (time: --leave-out 1).")
  Double fraction;

  @Option(names = "--leave-out", paramLabel = "N", description = "user, time: hold out N pairs of each user; "
      + "users with N or fewer pairs stay whole in train.")
  Integer leaveOut;

  @Option(names = "--before", paramLabel = "TS",
      description = "time: rows with a timestamp >= TS are test rows, earlier ones train rows.")
  Long before;

  @Option(names = "--timestamp-col", paramLabel = "NAME",
      description = "Timestamp column of a time split (default: timestamp_col, else '" + DEFAULT_TIMESTAMP_COL
          + "').")
  String timestampCol;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the random and user splits (default: seed).")
  Long seed;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "Output format: parquet or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    SplitJob.Method m = SplitJob.Method.parse(method);
    Integer leave = m == SplitJob.Method.TIME && fraction == null && before == null && leaveOut == null ? 1 : leaveOut;
    SplitJob.Options opts = new SplitJob.Options(m, fraction, leave, before, seed == null ? cfg.seed() : seed,
        format);
    InputSpec spec = cfg.inputSpec();
    if (timestampCol != null) {
      spec = spec.withTimestampCol(timestampCol);
    } else if (m == SplitJob.Method.TIME && !spec.hasTimestamp()) {
      spec = spec.withTimestampCol(DEFAULT_TIMESTAMP_COL);
    }
    InputSpec readSpec = spec;
    return Sessions.run("blockals split", spark, session -> {
      SplitJob.Outcome out = SplitJob.run(session, input, output, readSpec, opts);
      System.out.printf("split written to %s: %d train rows, %d test rows, %d users kept whole in train%n",
          out.output(), out.trainRows(), out.testRows(), out.usersKeptWhole());
      return BlockalsException.EXIT_OK;
    });
  }
}
