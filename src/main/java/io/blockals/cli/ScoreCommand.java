package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.model.PublishedModel;
import io.blockals.model.Scoring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code score --model <dir> --pairs <path> --output <dir>}: the model's prediction for each (user, item) pair.
 * Pairs are not training data, so they are read with Spark's plain CSV or Parquet reader (no bad-row policy); a pair
 * whose user or item the model has never seen is scored from the biases and flagged {@code cold}.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Write predictions for (user, item) pairs as Parquet: user, item, prediction, cold.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A committed model directory.")
  String model;

  @Option(names = "--pairs", required = true, paramLabel = "PATH",
      description = "CSV with a header, or Parquet (by extension), holding the pairs to score.")
  String pairs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where to write the predictions.")
  String output;

  @Option(names = "--user-col", defaultValue = "user", description = "User column of the pairs (default: ${DEFAULT-VALUE}).")
  String userCol;

  @Option(names = "--item-col", defaultValue = "item", description = "Item column of the pairs (default: ${DEFAULT-VALUE}).")
  String itemCol;

  @Option(names = "--show", defaultValue = "0", paramLabel = "N", description = "Also print the first N predictions.")
  int show;

  @Mixin
  SparkOptions spark;

  @Override
  public Integer call() {
    SparkSession session = Sessions.create("blockals score", spark);
    try {
      var conf = session.sparkContext().hadoopConfiguration();
      PublishedModel pm = PublishedModel.open(session, model);
      Path in = new Path(pairs);
      if (!in.getFileSystem(conf).exists(in)) {
        throw BlockalsException.inputRejected("pairs path does not exist: " + pairs);
      }
      Path out = new Path(output);
      if (out.getFileSystem(conf).exists(out)) {
        throw BlockalsException.usage("output " + output + " exists; predictions are never written over existing data");
      }
      Dataset<Row> raw = pairs.endsWith(".parquet") ? session.read().parquet(pairs)
          : session.read().option("header", "true").csv(pairs);
      for (String c : new String[] {userCol, itemCol}) {
        if (!java.util.Arrays.asList(raw.columns()).contains(c)) {
          throw BlockalsException.inputRejected("column '" + c + "' not found in " + pairs + ": found "
              + java.util.Arrays.toString(raw.columns()));
        }
      }
      Dataset<Row> p = raw.selectExpr("`" + userCol + "` as user", "`" + itemCol + "` as item");
      Dataset<Row> scored = Scoring.predict(p, pm.users(), pm.items(), pm.globalMean()).cache();
      scored.write().parquet(output);
      if (show > 0) {
        for (Row r : scored.orderBy("user", "item").limit(show).collectAsList()) {
          System.out.printf("%s\t%s\t%.3f%s%n", r.get(0), r.get(1), r.getDouble(2), r.getBoolean(3) ? "\tcold" : "");
        }
      }
      System.out.println("predictions written to " + output);
      return BlockalsException.EXIT_OK;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      session.stop();
    }
  }
}
