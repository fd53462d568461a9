package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.job.EvaluateJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --model <dir> --test <path>}: prediction error and ranking metrics of a published model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Report how good a published model is on held-out ratings, one 'name value' line per metric.",
        "Explicit models: rmse, mae, count, cold, warm_rmse, and with --relevance-threshold the ranking metrics.",
        "Implicit models: count, cold and the ranking metrics (precision@k, recall@k, ndcg@k, map@k, auc), each "
            + "user's train items (--train) left out of their ranking; auc is exact over every unseen item."})
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--test", required = true, paramLabel = "PATH", description = "Held-out ratings, as for train.")
  String test;

  @Option(names = "--train", paramLabel = "PATH",
      description = "The training ratings: each user's train items are left out of their ranking.")
  String train;

  @Option(names = "--k", paramLabel = "K", defaultValue = "" + EvaluateJob.DEFAULT_K,
      description = "Cut-off of precision, recall, NDCG and MAP (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--relevance-threshold", paramLabel = "T",
      description = "Held-out ratings >= T are the positives of the ranking metrics (default for implicit "
          + "models: ratings > 0; explicit models get ranking metrics only with this option).")
  Double relevanceThreshold;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the metrics as a JSON object to FILE (written atomically).")
  String json;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    EvaluateJob.Options opts = new EvaluateJob.Options(train, k, relevanceThreshold);
    return Sessions.run("blockals evaluate", spark, session -> {
      EvaluateJob.Evaluation ev = EvaluateJob.evaluate(session, model, test, cfg.inputSpec(), opts);
      if (json != null) {
        EvaluateJob.writeAtomically(session.sparkContext().hadoopConfiguration(), json, ev.json());
      }
      ev.lines().forEach(System.out::println);
      return BlockalsException.EXIT_OK;
    });
  }
}
