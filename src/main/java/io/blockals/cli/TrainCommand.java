package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.engine.AlsParams;
import io.blockals.job.TrainJob;
import io.blockals.job.WarmUpPlugin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --input <path> --output <model dir> [--config <file>] [--set key=value]...}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model on a ratings file or directory and publish it as a model directory.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Ratings file or directory (csv, tsv, parquet, MovieLens; any Hadoop path).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Model directory to publish.")
  String output;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    // The kernel warms up in every JVM that runs tasks while Spark and set-up get ready (WarmUpPlugin).
    AlsParams params = cfg.alsParams(1);
    return Sessions.run("blockals train", spark,
        conf -> WarmUpPlugin.settings(params, conf.get("spark.plugins", null)), session -> {
      TrainJob.Outcome out = TrainJob.run(session, input, output, cfg);
      System.out.printf("model written to %s: %d users, %d items, %d ratings, train RMSE %s%s, %.1f s%n",
          out.modelPath(), out.users(), out.items(), out.ratings(), fmt(out.trainRmse()),
          out.validationRmse() == null ? "" : ", validation RMSE " + fmt(out.validationRmse()), out.seconds());
      return BlockalsException.EXIT_OK;
    });
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
  }
}
