package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.report.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tune on the planted sample (noise 0.3): a winner known in advance, and the best.conf it writes trains as it is.
 * reg_param 0.0001 lets rank 8 overfit the sparse users, 100 shrinks every factor to nothing; 0.1 is the one that
 * fits.
 */
class TuneJobIT extends SparkTestBase {
  @TempDir
  Path tmp;

  @Test
  void regParamSearchPicksTheMiddleValueAndItsBestConfTrains() throws Exception {
    Path conf = tmp.resolve("tune.conf");
    Files.writeString(conf, """
        rank = 8
        max_iter = 5
        tune {
          reg_param = [0.0001, 0.1, 100]
          holdout = 0.2
          metric = rmse
        }
        """);
    Path out = tmp.resolve("tune");

    TuneJob.Outcome result = TuneJob.run(spark, "data/sample/train.csv", conf.toString(), Map.of(), out.toString());

    assertThat(result.best().params()).containsEntry("reg_param", 0.1);
    assertThat(result.trials()).hasSize(3);
    List<Row> trials = spark.read().parquet(out.resolve(TuneJob.TRIALS_PARQUET).toString()).orderBy("trial")
        .collectAsList();
    assertThat(trials).extracting(r -> r.getDouble(r.fieldIndex("reg_param"))).containsExactly(0.0001, 0.1, 100.0);
    assertThat(trials).allSatisfy(r -> assertThat(r.getList(r.fieldIndex("fold_values"))).hasSize(1));
    assertThat(Files.readString(out.resolve(TuneJob.TRIALS_MD))).contains("| 2 (best) | 0.1 |")
        .contains("| 1 | 0.0001 |");
    assertThat(out.resolve("_SUCCESS")).exists();
    // report.html as headless Chromium renders it: one chart, for reg_param, a point per trial at the mean
    // trials.parquet holds, and the trial table showing the same numbers
    org.jsoup.nodes.Document report = new Chromium(tmp).render(out.resolve("report.html"));
    assertThat(report.select("figure.param")).extracting(e -> e.attr("data-param")).containsExactly("reg_param");
    for (Row t : trials) {
      int n = t.getInt(t.fieldIndex("trial"));
      org.jsoup.nodes.Element point = report.selectFirst("circle[data-key=trial[" + n + "].mean]");
      assertThat(point).as("point of trial %d", n).isNotNull();
      assertThat(Double.parseDouble(point.attr("data-value"))).isEqualTo(t.getDouble(t.fieldIndex("mean")));
      assertThat(Double.parseDouble(point.attr("data-x"))).isEqualTo(t.getDouble(t.fieldIndex("reg_param")));
      assertThat(point.hasClass("best")).as("trial %d marked best", n).isEqualTo(n == result.best().trial());
      org.jsoup.nodes.Element cell = report.selectFirst("#trials td .num[data-key=\"trial[" + n + "].mean\"]");
      assertThat(cell).as("table cell of trial %d", n).isNotNull();
      double mean = t.getDouble(t.fieldIndex("mean"));
      assertThat(Double.parseDouble(cell.text())).as("trial %d's mean as shown", n)
          .isCloseTo(mean, org.assertj.core.data.Offset.offset(Math.abs(mean) * 5e-4 + 1e-12));
    }
    assertThat(report.select("#trials tr[data-trial]")).first()
        .satisfies(row -> assertThat(row.attr("data-trial")).isEqualTo(Integer.toString(result.best().trial())));

    Path best = out.resolve(TuneJob.BEST_CONF);
    JobConfig cfg = JobConfig.load(best.toString(), Map.of(), new Configuration(false));
    assertThat(cfg.regParam()).isEqualTo(0.1);
    assertThat(cfg.rank()).isEqualTo(8);
    TrainJob.Outcome trained = TrainJob.run(spark, "data/toy/ratings.csv", tmp.resolve("model").toString(), cfg);
    assertThat(tmp.resolve("model").resolve("_SUCCESS")).exists();
    assertThat(trained.users()).isEqualTo(3);
  }

  @Test
  void rankSearchOnPlantedRankSixDataPicksSix() throws Exception {
    Path planted = tmp.resolve("planted");
    // rank-6 factors, little noise, 40 ratings per user: rank 2 cannot express them
    assertThat(io.blockals.cli.Main.execute("generate", "--output", planted.toString(), "--users", "800", "--items",
        "400", "--ratings", "32000", "--rank", "6", "--noise", "0.1", "--seed", "5", "--test-fraction", "0"))
        .isZero();
    Path conf = tmp.resolve("rank.conf");
    Files.writeString(conf, """
        reg_param = 0.05
        max_iter = 8
        tune {
          rank = [2, 6]
          folds = 2
          metric = rmse
        }
        """);

    TuneJob.Outcome result = TuneJob.run(spark, planted.resolve("train.csv").toString(), conf.toString(), Map.of(),
        tmp.resolve("rank-tune").toString());

    assertThat(result.best().params()).containsEntry("rank", 6.0);
    assertThat(result.trials()).allSatisfy(t -> assertThat(t.foldMetrics()).hasSize(2));
  }
}
