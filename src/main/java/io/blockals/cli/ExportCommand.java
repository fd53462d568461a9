package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.job.ExportJob;
import io.blockals.job.RecommendJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export --model <dir> --format mllib --output <dir>}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write the model as a Spark MLlib ALSModel directory (int ids only). The biases travel as two "
        + "extra factor columns, so MLlib's prediction equals blockals' score.")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "Target format: mllib.")
  String format;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the export.")
  String output;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    return Sessions.run("blockals export", spark, true, session -> {
      RecommendJob.Outcome out = ExportJob.run(session, model, format, output);
      System.out.printf("MLlib ALSModel written to %s (%.1f s)%n", out.output(), out.seconds());
      return BlockalsException.EXIT_OK;
    });
  }
}
