package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.job.RecommendJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recommend --model <dir> --top-k K [--for-ratings <ratings>] [--exclude-seen <ratings>] [--users <ids>]
 * --output <dir>}.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = {"Write each user's top K items as Parquet: user, item, score, rank (1..K, ties by item id).",
        "With --for-ratings the users are new ones, given by their ratings: each is folded in (its factor and bias "
            + "solved from the model's item factors as a training half-step would), and its rated items are "
            + "excluded."})
final class RecommendCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--top-k", required = true, paramLabel = "K", description = "Items per user.")
  int topK;

  @Option(names = "--for-ratings", paramLabel = "RATINGS",
      description = "Recommend for the users of these ratings (any input train reads) instead of the model's users, "
          + "each folded in from its ratings here alone; the model is not changed. Items the model does not know are "
          + "ignored.")
  String forRatings;

  @Option(names = "--exclude-seen", paramLabel = "RATINGS",
      description = "Ratings (any input train reads) whose (user, item) pairs are never recommended.")
  String excludeSeen;

  @Option(names = "--users", paramLabel = "IDS",
      description = "Only these users (of the model, or of --for-ratings): one id per line, or a table with a "
          + "column 'user'.")
  String users;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the recommendations.")
  String output;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    return Sessions.run("blockals recommend", spark, session -> {
      RecommendJob.Outcome out = RecommendJob.run(session, model, topK, forRatings, excludeSeen, users,
          cfg.inputSpec(), output);
      System.out.printf("%d recommendations written to %s (%.1f s)%n", out.rows(), out.output(), out.seconds());
      return BlockalsException.EXIT_OK;
    });
  }
}
