package io.blockals.cli;

import io.blockals.job.SparkSettings;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a command. Settings given by spark-submit (or spark-defaults.conf) win over blockals' own
 * ({@link SparkSettings}); {@code --spark-conf} wins over both; local[*] when no master was given at all.
 */
final class Sessions {
  private Sessions() {}

  /** Starts a session, runs {@code job} in it and stops it, whatever happens; returns the job's exit code. */
  static int run(String appName, SparkOptions opts, Function<SparkSession, Integer> job) {
    return run(appName, opts, false, job);
  }

  /**
   * As {@link #run(String, SparkOptions, Function)}, for a job that runs MLlib's own code ({@code withMllib}): its
   * session keeps MLlib's SQL functions, which the other commands' sessions go without
   * ({@link WithoutMllibSqlFunctions}).
   */
  static int run(String appName, SparkOptions opts, boolean withMllib, Function<SparkSession, Integer> job) {
    SparkSession session = create(appName, opts, c -> Map.of(), withMllib);
    try {
      return job.apply(session);
    } finally {
      session.stop();
    }
  }

  /**
   * As {@link #run(String, SparkOptions, Function)}, with {@code extra} settings computed from the command's config
   * (given before the session starts; {@code --spark-conf} still wins over them).
   */
  static int run(String appName, SparkOptions opts, Function<SparkConf, Map<String, String>> extra,
      Function<SparkSession, Integer> job) {
    SparkSession session = create(appName, opts, extra, false);
    try {
      return job.apply(session);
    } finally {
      session.stop();
    }
  }

  static SparkSession create(String appName, SparkOptions opts) {
    return create(appName, opts, c -> Map.of(), false);
  }

  private static SparkSession create(String appName, SparkOptions opts,
      Function<SparkConf, Map<String, String>> extra, boolean withMllib) {
    SparkConf conf = new SparkConf(true);
    if (opts.master != null) {
      conf.setMaster(opts.master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    SparkSettings.applyDefaults(conf);
    for (Map.Entry<String, String> e : extra.apply(conf).entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : opts.sparkConf.entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    if (opts.verbose) {
      Configurator.setLevel("org.apache.spark", Level.INFO);
    }
    // The classic session's own builder: SparkSession.builder() finds it through Scala's runtime reflection, whose
    // start is a few tenths of a second of a cold JVM; every blockals command runs on the classic (not the Connect)
    // session.
    return WithoutMllibSqlFunctions.getOrCreate(org.apache.spark.sql.classic.SparkSession.builder().config(conf),
        withMllib || conf.getBoolean(WithoutMllibSqlFunctions.KEEP, false));
  }
}
