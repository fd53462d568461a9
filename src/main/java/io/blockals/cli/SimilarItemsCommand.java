package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.job.RecommendJob;
import io.blockals.job.SimilarItemsJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code similar-items --model <dir> --top-k K [--items <ids>] --output <dir>}. */
@Command(name = "similar-items", mixinStandardHelpOptions = true,
    description = "Write each item's K nearest items by cosine of their factors as Parquet: item, similar, score, "
        + "rank. An item never lists itself; items with a zero factor vector are left out.")
final class SimilarItemsCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--top-k", required = true, paramLabel = "K", description = "Similar items per item.")
  int topK;

  @Option(names = "--items", paramLabel = "IDS",
      description = "Only for these items: one id per line, or a table with a column 'item'.")
  String items;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the result.")
  String output;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    return Sessions.run("blockals similar-items", spark, session -> {
      RecommendJob.Outcome out = SimilarItemsJob.run(session, model, topK, items, cfg.inputSpec(), output);
      System.out.printf("%d rows written to %s (%.1f s)%n", out.rows(), out.output(), out.seconds());
      return BlockalsException.EXIT_OK;
    });
  }
}
