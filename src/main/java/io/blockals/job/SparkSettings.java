package io.blockals.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * The Spark settings blockals runs with, in one place: every command's session and the tests' session take them
 * from here. They are defaults: whatever spark-submit, a spark-defaults.conf or {@code --spark-conf} sets wins.
 * (conf/spark-defaults.conf holds only what must be known before the driver JVM starts: its heap and JVM options.)
 */
public final class SparkSettings {
  private SparkSettings() {}

  /** Settings for every master. */
  public static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    // Kryo with blockals' registered classes: smaller shuffles of factor blocks.
    m.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    m.put("spark.kryo.registrator", "io.blockals.engine.KryoRegistration");
    // No cyclic object graphs are shipped; tracking every object costs ~10% of set-up in Kryo's identity map.
    m.put("spark.kryo.referenceTracking", "false");
    // blockals logs its own per-iteration progress; the console bar would interleave with it.
    m.put("spark.ui.showConsoleProgress", "false");
    m.put("spark.sql.adaptive.enabled", "true");
    return m;
  }

  /** Settings for local masters: a loopback driver and shuffle partitions sized to the cores. */
  public static Map<String, String> localDefaults(int cores) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.driver.host", "127.0.0.1");
    // A local run is watched through blockals' own log lines; starting the web UI costs ~0.3 s of every run.
    // --conf spark.ui.enabled=true brings it back. Cluster runs keep Spark's default (on).
    m.put("spark.ui.enabled", "false");
    m.put("spark.sql.shuffle.partitions", String.valueOf(cores * 2));
    return m;
  }

  /** Applies {@link #defaults()} (and, on a local master, {@link #localDefaults}) where {@code conf} is silent. */
  public static SparkConf applyDefaults(SparkConf conf) {
    defaults().forEach(conf::setIfMissing);
    if (conf.get("spark.master", "local[*]").startsWith("local")) {
      localDefaults(Runtime.getRuntime().availableProcessors()).forEach(conf::setIfMissing);
    }
    return conf;
  }
}
