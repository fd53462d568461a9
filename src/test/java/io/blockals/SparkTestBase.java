package io.blockals;

import io.blockals.job.SparkSettings;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * One SparkSession per test class: production's Spark settings ({@link SparkSettings}, so tests catch what Kryo
 * cannot serialize) with Kryo registration required, local[2] (or what the class's {@link Session} says), UI off,
 * loopback driver, a few shuffle partitions and a checkpoint directory in a temporary folder. Stopped in
 * {@link #stopSpark()}.
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;
  protected static JavaSparkContext jsc;
  protected static Path sparkTmp;

  /**
   * On a test class: its session runs on another master (e.g. {@code local[2,2]}, two attempts per task) and with more
   * Kryo registrators, run after blockals' own.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Session {
    String master() default "local[2]";

    String[] registrators() default {};
  }

  @BeforeAll
  static void startSpark(TestInfo info) throws IOException {
    Session settings = info.getTestClass().map(c -> c.getAnnotation(Session.class)).orElse(null);
    String master = settings == null ? "local[2]" : settings.master();
    String extraRegistrators = settings == null ? "" : String.join(",", settings.registrators());
    sparkTmp = Files.createTempDirectory("blockals-spark-test");
    SparkConf conf = SparkSettings.applyDefaults(new SparkConf(false).setMaster(master));
    spark = SparkSession.builder()
        .config(conf)
        .appName("blockals-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        // Every class Spark serialises with Kryo must be in KryoRegistration; an unregistered one fails the test
        // instead of being written with its class name.
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.kryo.registrator", "io.blockals.engine.KryoRegistration,io.blockals.TestKryoRegistration"
            + (extraRegistrators.isEmpty() ? "" : "," + extraRegistrators))
        .config("spark.default.parallelism", "4")
        .config("spark.local.dir", sparkTmp.resolve("local").toString())
        .config("spark.sql.warehouse.dir", sparkTmp.resolve("warehouse").toString())
        .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setCheckpointDir(sparkTmp.resolve("checkpoints").toString());
  }

  @AfterAll
  static void stopSpark() throws IOException {
    if (spark != null) {
      spark.stop();
      spark = null;
      jsc = null;
    }
    deleteRecursively(sparkTmp);
  }

  /** Deletes a local test folder; test scope only (production code uses Hadoop's FileSystem). */
  public static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
