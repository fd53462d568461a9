package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.job.TuneJob;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tune --input <path> --config <file> --output <dir>}: a search over numeric config keys. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = {"Search numeric config keys: the config's tune block lists each key's values "
            + "(reg_param = [0.01, 0.1, 1]) or a range (rank = { min = 4, max = 64, log = true, samples = 3 }), "
            + "with folds = k (k-fold) or holdout = f, and metric = rmse | mae | precision@k | recall@k | ndcg@k | "
            + "map@k | auc.",
        "Writes <output>/trials.parquet, trials.md, best.conf (which train --config accepts as it is) and "
            + "report.html (the metric against each searched key)."})
final class TuneCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "Ratings, as for train.")
  String input;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "train's keys plus a tune block (HOCON or JSON).")
  String config;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the trials go.")
  String output;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one train key for every candidate (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    return Sessions.run("blockals tune", spark, session -> {
      TuneJob.Outcome out = TuneJob.run(session, input, config, overrides, output);
      System.out.printf(Locale.ROOT, "%d candidates tried; best %s %.6f with %s (trial %d)%n", out.trials().size(),
          out.metric(), out.best().mean(), out.best().params(), out.best().trial());
      System.out.printf("trials and best.conf written to %s%n", out.output());
      return BlockalsException.EXIT_OK;
    });
  }
}
