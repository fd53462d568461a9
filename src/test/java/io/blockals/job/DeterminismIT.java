package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Same input file, config and seed: identical factors whether the file is read as 1 split or as 7. */
class DeterminismIT extends SparkTestBase {
  private static final String SPLIT_MAX = "mapreduce.input.fileinputformat.split.maxsize";

  private static Map<String, List<Float>> train(Path out, long maxSplit) {
    Configuration hc = spark.sparkContext().hadoopConfiguration();
    String old = hc.get(SPLIT_MAX);
    hc.setLong(SPLIT_MAX, maxSplit);
    try {
      Map<String, String> set = Map.of("rank", "4", "max_iter", "3", "seed", "11", "timestamp_col", "timestamp");
      TrainJob.run(spark, "data/sample/train.csv", out.toString(), JobConfig.load(null, set, new Configuration()));
    } finally {
      if (old == null) {
        hc.unset(SPLIT_MAX);
      } else {
        hc.set(SPLIT_MAX, old);
      }
    }
    Map<String, List<Float>> f = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("item_factors").toString()).collectAsList()) {
      List<Float> v = new java.util.ArrayList<>(r.getList(2));
      v.add(r.getFloat(1));
      f.put(r.getString(0), v);
    }
    return f;
  }

  @Test
  void oneSplitOrSevenGiveIdenticalFactors() throws Exception {
    long size = Files.size(Path.of("data/sample/train.csv"));
    Map<String, List<Float>> one = train(sparkTmp.resolve("one"), Long.MAX_VALUE);
    Map<String, List<Float>> seven = train(sparkTmp.resolve("seven"), size / 7 + 1);
    assertThat(readSplits(size / 7 + 1)).isEqualTo(7);
    assertThat(seven).isEqualTo(one);
  }

  private static int readSplits(long maxSplit) {
    Configuration hc = new Configuration(spark.sparkContext().hadoopConfiguration());
    hc.setLong(SPLIT_MAX, maxSplit);
    return jsc.newAPIHadoopFile("data/sample/train.csv", org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
        org.apache.hadoop.io.LongWritable.class, org.apache.hadoop.io.Text.class, hc).getNumPartitions();
  }
}
