package io.blockals.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blockals.BlockalsException;
import io.blockals.config.JobConfig;
import io.blockals.job.TrainJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * blockals on a real multi-JVM Spark standalone cluster (a Master and two Workers on 127.0.0.1, each 1 core and 1g),
 * submitted through {@code submit.sh} exactly as a user would, in client and in cluster deploy mode. The models must
 * equal, bit for bit, the local-mode model of the same seed trained inside this test JVM: the engine is deterministic
 * whatever the executors, so any difference is a bug in what is shipped between JVMs. The input is the first 5000
 * ratings of the shipped sample: determinism needs every block to cross a JVM, not a large model. Every run has
 * {@code spark.kryo.registrationRequired=true}, so a class missing from KryoRegistration fails the run instead of
 * silently writing class names.
 *
 * <p>Everything lives in {@code <build dir>/cluster-it} (logs of every JVM stay there for a failed CI run); every
 * process is stopped by PID in {@link #stopCluster()}, and by a shutdown hook if the JVM dies first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  /** float factors computed in the same order on both sides: equal, not close. */
  private static final double ABS_TOL = 0.0;
  private static final double REL_TOL = 0.0;
  private static final int RATINGS = 5000;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

  private static ChildProcesses processes;
  private static StandaloneCluster cluster;
  private static SubmitScript submit;
  private static Path root;
  private static Path input;
  private static ModelFactors localModel;
  private static final Map<String, String> timings = new LinkedHashMap<>();
  private static long startNanos;

  @BeforeAll
  static void startCluster() throws Exception {
    startNanos = System.nanoTime();
    Path appJar = Path.of(required("blockals.app.jar"));
    Path classpath = Path.of(required("blockals.runtime.classpath"));
    assertThat(appJar).as("the application jar (mvn package runs before the ITs)").isRegularFile();
    assertThat(classpath).as("the runtime class path written by mvn package").isRegularFile();
    root = appJar.getParent().resolve("cluster-it");
    deleteRecursively(root);
    Files.createDirectories(root);
    List<String> sample = Files.readAllLines(Path.of("data/sample/train.csv"), StandardCharsets.UTF_8);
    input = root.resolve("ratings-5k.csv");
    Files.write(input, sample.subList(0, RATINGS + 1), StandardCharsets.UTF_8);
    long users = sample.subList(1, RATINGS + 1).stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count();
    processes = new ChildProcesses();
    try {
      submit = new SubmitScript(processes, Path.of("submit.sh").toAbsolutePath(), appJar, root.resolve("logs"));
      long t = System.nanoTime();
      trainLocallyInThisJvm(root.resolve("local"));
      timings.put("local[2] reference in the test JVM", seconds(System.nanoTime() - t));
      localModel = ModelFactors.read(root.resolve("local"));
      assertThat(localModel.users()).as("users in the local model").hasSize((int) users);

      t = System.nanoTime();
      cluster = StandaloneCluster.start(processes, root, classpath, sparkJvmFlags(), 2,
          Duration.ofSeconds(120));
      timings.put("cluster start (master + 2 workers)", seconds(System.nanoTime() - t));
    } catch (Throwable e) {
      processes.close();
      throw e;
    }
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (processes != null) {
      processes.close();
      List<Long> alive = processes.alive();
      timings.put("whole test class", seconds(System.nanoTime() - startNanos));
      StringBuilder report = new StringBuilder("cluster IT timings (wall time of submit.sh; job = its own time)\n");
      timings.forEach((k, v) -> report.append(String.format("  %-40s %s%n", k, v)));
      System.out.print(report);
      Files.writeString(root.resolve("timings.txt"), report, StandardCharsets.UTF_8);
      assertThat(alive).as("processes still alive after the test stopped them").isEmpty();
    }
  }

  @Test
  @Order(1)
  void clientModeOnTwoWorkersEqualsLocalMode() throws Exception {
    SubmitScript.Run run = submit.run("client", RUN_TIMEOUT, train("client", "--master", cluster.masterUrl(),
        "--deploy-mode", "client", "--driver-memory", "1g", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1"));
    assertThat(run.exitCode()).as(() -> run.tail() + cluster.diagnostics()).isZero();
    note("cluster, client deploy mode", run);

    JsonNode app = latest(cluster.state().path("completedapps"), "blockals train");
    assertThat(app.path("state").asText()).as("application state on the master").isEqualTo("FINISHED");
    // One executor per Worker: the factors really crossed JVMs (a work folder per Worker for this application).
    String appId = app.path("id").asText();
    for (int w = 0; w < 2; w++) {
      assertThat(root.resolve("worker-" + w).resolve(appId)).as("executor of %s on worker %d", appId, w)
          .isDirectory();
    }
    double maxDiff = ModelFactors.assertSame(ModelFactors.read(root.resolve("client")), localModel, ABS_TOL, REL_TOL,
        "client mode vs local");
    timings.put("max |client - local| factor difference", String.format("%.2g", maxDiff));
  }

  @Test
  @Order(2)
  void clusterModeDriverOnAWorkerEqualsLocalMode() throws Exception {
    // The driver takes one Worker's core, so the application gets one executor on the other Worker. Paths must be
    // absolute: the driver runs in its own work folder.
    SubmitScript.Run run = submit.run("cluster", RUN_TIMEOUT, train("cluster", "--master", cluster.masterUrl(),
        "--deploy-mode", "cluster", "--driver-memory", "512m", "--conf", "spark.executor.memory=512m",
        "--conf", "spark.standalone.submit.waitAppCompletion=true"));
    assertThat(run.exitCode()).as(() -> run.tail() + cluster.diagnostics()).isZero();

    // Standalone's cluster-mode client exits 0 whatever the driver's outcome, so the driver state is what counts.
    JsonNode driver = latest(cluster.state().path("completeddrivers"), null);
    assertThat(driver.path("state").asText()).as(() -> "driver state on the master" + cluster.diagnostics())
        .isEqualTo("FINISHED");
    // The job's own report went to the driver's stdout, in its work folder on the Worker that ran it.
    String driverOut = "";
    for (int w = 0; w < 2; w++) {
      Path out = root.resolve("worker-" + w).resolve(driver.path("id").asText()).resolve("stdout");
      if (Files.exists(out)) {
        driverOut = Files.readString(out, StandardCharsets.UTF_8);
      }
    }
    timings.put("cluster, cluster deploy mode", String.format("%s wall, job %.1f s",
        seconds(run.wallTime().toNanos()), SubmitScript.jobSeconds(driverOut)));
    double maxDiff = ModelFactors.assertSame(ModelFactors.read(root.resolve("cluster")), localModel, ABS_TOL,
        REL_TOL, "cluster mode vs local");
    timings.put("max |cluster - local| factor difference", String.format("%.2g", maxDiff));
  }

  @Test
  @Order(3)
  void exitCodeOfTheJobIsForwardedFromTheCluster() throws Exception {
    Path missing = root.resolve("no-such-ratings.csv");
    SubmitScript.Run run = submit.run("missing-input", RUN_TIMEOUT, "train", "--master", cluster.masterUrl(),
        "--driver-memory", "1g", "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=512m", "--input", missing.toString(), "--output",
        root.resolve("never").toString());
    assertThat(run.exitCode()).as(run::tail).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
    assertThat(run.output()).contains("no-such-ratings.csv");
    assertThat(root.resolve("never")).doesNotExist();
  }

  /** The settings of {@link #train}, trained by TrainJob on a local[2] session of this JVM, stopped afterwards. */
  private static void trainLocallyInThisJvm(Path output) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("cluster-it-reference")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "io.blockals.engine.KryoRegistration")
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.local.dir", root.resolve("spark-local").toString())
        .getOrCreate();
    try {
      Map<String, String> set = new LinkedHashMap<>();
      for (int i = 0; i < SETTINGS.length; i += 2) {
        set.put(SETTINGS[i], SETTINGS[i + 1]);
      }
      TrainJob.run(spark, input.toString(), output.toString(), JobConfig.load(null, set, new Configuration()));
    } finally {
      spark.stop();
    }
  }

  private static final String[] SETTINGS = {"seed", "20240607", "rank", "8", "max_iter", "6", "num_user_blocks", "3",
      "num_item_blocks", "2"};

  /** One training command line: the 5000 ratings, a fixed seed and block layout, strict Kryo. */
  private static String[] train(String output, String... submitOptions) {
    List<String> args = new ArrayList<>(List.of("train"));
    args.addAll(List.of(submitOptions));
    args.addAll(List.of("--conf", "spark.ui.enabled=false", "--conf", "spark.kryo.registrationRequired=true",
        "--input", input.toString(), "--output", root.resolve(output).toString()));
    for (int i = 0; i < SETTINGS.length; i += 2) {
      args.addAll(List.of("--set", SETTINGS[i] + "=" + SETTINGS[i + 1]));
    }
    return args.toArray(new String[0]);
  }

  /** The most recent entry of a master JSON list, optionally only those with the given name. */
  private static JsonNode latest(JsonNode list, String name) {
    List<JsonNode> matching = new ArrayList<>();
    list.forEach(n -> {
      if (name == null || name.equals(n.path("name").asText())) {
        matching.add(n);
      }
    });
    assertThat(matching).as(() -> "entries named " + name + " in " + list + cluster.diagnostics()).isNotEmpty();
    return matching.stream().max(Comparator.comparingLong(n -> n.path("starttime").asLong())).orElseThrow();
  }

  private static void note(String what, SubmitScript.Run run) {
    timings.put(what, String.format("%s wall, job %.1f s", seconds(run.wallTime().toNanos()), run.jobSeconds()));
  }

  private static String seconds(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }

  /**
   * The --add-opens flags this JVM got from Failsafe (pom.xml's spark.jvm.flags), handed on to the cluster's JVMs so
   * the flags live in one place.
   */
  private static String sparkJvmFlags() {
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Djdk.reflect.useDirectMethodHandle"))
        .toList();
    assertThat(flags).as("--add-opens flags of the test JVM").isNotEmpty();
    return String.join(" ", flags);
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    assertThat(value).as("system property %s (set by the Failsafe configuration in pom.xml)", property).isNotBlank();
    return value;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
