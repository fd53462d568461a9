package io.blockals.cli;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession of a command. Settings given by spark-submit (or spark-defaults.conf) win; these are only
 * defaults: Kryo with the project's registered classes, no console progress bar (the job logs its own progress per
 * iteration), local[*] when no master was given at all.
 */
final class Sessions {
  private Sessions() {}

  static SparkSession create(String appName, SparkOptions opts) {
    SparkConf conf = new SparkConf(true);
    if (opts.master != null) {
      conf.setMaster(opts.master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.kryo.registrator", "io.blockals.engine.KryoRegistration");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.kryo.referenceTracking", "false");
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.sql.shuffle.partitions", String.valueOf(Runtime.getRuntime().availableProcessors() * 2));
    }
    for (Map.Entry<String, String> e : opts.sparkConf.entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    if (opts.verbose) {
      Configurator.setLevel("org.apache.spark", Level.INFO);
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
