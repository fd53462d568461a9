package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.job.ScoreJob;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code score --model <dir> --pairs <path> --output <dir>}: the model's prediction for each (user, item) pair. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Write predictions for (user, item) pairs as Parquet: user, item, prediction, cold.",
        "Pairs are read like train's ratings (same formats, quoting, trimming, bad-row policy; a rating column is",
        "ignored). A pair whose user or item the model does not know is cold and handled by --unknown."})
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--pairs", required = true, paramLabel = "PATH",
      description = "The pairs to score: any input train reads (csv, tsv, parquet; a file or a directory).")
  String pairs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the predictions.")
  String output;

  @Option(names = "--user-col", paramLabel = "NAME", description = "User column of the pairs (default: user_col).")
  String userCol;

  @Option(names = "--item-col", paramLabel = "NAME", description = "Item column of the pairs (default: item_col).")
  String itemCol;

  @Option(names = "--unknown", defaultValue = "baseline", paramLabel = "POLICY",
      description = "Pairs with an unknown user or item: baseline (global mean + the known side's bias), nan "
          + "(prediction NaN) or drop (left out) (default: ${DEFAULT-VALUE}).")
  String unknown;

  @Option(names = "--show", defaultValue = "0", paramLabel = "N", description = "Also print the first N predictions.")
  int show;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    ScoreJob.Unknown policy = ScoreJob.Unknown.parse(unknown);
    InputSpec spec = cfg.inputSpec();
    spec = spec.withColumns(userCol == null ? spec.userCol() : userCol, itemCol == null ? spec.itemCol() : itemCol,
        spec.ratingCol());
    InputSpec pairSpec = spec;
    return Sessions.run("blockals score", spark, session -> {
      ScoreJob.Outcome out = ScoreJob.run(session, model, pairs, output, pairSpec, policy, show);
      for (Row r : out.shown()) {
        System.out.printf("%s\t%s\t%.3f%s%n", r.get(0), r.get(1), r.getDouble(2), r.getBoolean(3) ? "\tcold" : "");
      }
      System.out.printf("predictions written to %s: %d rows (%d pairs, %d with an unknown user or item)%n",
          out.output(), out.rows(), out.pairs(), out.cold());
      return BlockalsException.EXIT_OK;
    });
  }
}
