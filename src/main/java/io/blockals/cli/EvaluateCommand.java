package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.job.EvaluateJob;
import io.blockals.model.Scoring;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --model <dir> --test <path>}: RMSE and MAE of a published model on held-out ratings. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Report RMSE and MAE of a published model on a file of held-out ratings.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--test", required = true, paramLabel = "PATH", description = "Held-out ratings, as for train.")
  String test;

  @Mixin
  ConfigOptions settings;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    JobConfig cfg = settings.load();
    return Sessions.run("blockals evaluate", spark, session -> {
      Scoring.Metrics m = EvaluateJob.run(session, model, test, cfg.inputSpec());
      System.out.printf("rmse %.6f%nmae %.6f%ncount %d%ncold %d%nwarm_rmse %.6f%n", m.rmse(), m.mae(), m.count(),
          m.cold(), m.warmRmse());
      return BlockalsException.EXIT_OK;
    });
  }
}
