package io.blockals.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every Spark-running command shares. */
final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (local[*], spark://host:7077, yarn, k8s://...). Default: what spark-submit set, "
          + "else local[*].")
  String master;

  @Option(names = "--verbose", description = "Print stack traces and Spark's INFO logs.")
  boolean verbose;

  @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
  Map<String, String> sparkConf = new LinkedHashMap<>();
}
