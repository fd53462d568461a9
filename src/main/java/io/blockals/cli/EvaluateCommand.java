package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.data.RatingsInput;
import io.blockals.data.RatingsReader;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
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
    SparkSession session = Sessions.create("blockals evaluate", spark);
    try {
      PublishedModel pm = PublishedModel.open(session, model);
      try (RatingsInput in = RatingsReader.read(session, test, cfg.inputSpec())) {
        Scoring.Metrics m = Scoring.evaluate(in.ratings(), pm.users(), pm.items(), pm.globalMean());
        System.out.printf("rmse %.6f%nmae %.6f%ncount %d%ncold %d%nwarm_rmse %.6f%n", m.rmse(), m.mae(), m.count(),
            m.cold(), m.warmRmse());
      }
      return BlockalsException.EXIT_OK;
    } finally {
      session.stop();
    }
  }
}
