package io.blockals.safety;

import io.blockals.config.JobConfig;
import io.blockals.job.TrainJob;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@link ExecutorLossIT}, run in its own JVM (so that SPARK_HOME can point the local-cluster workers at
 * a folder of dependency jars without touching the test JVM): trains the same job twice on
 * {@code local-cluster[2,1,1024]}, killing one executor JVM (SIGKILL) after iteration 2.
 *
 * <p>Arguments: input, output with fault, application jar, executor JVM options.
 */
public final class ExecutorLossDriver {
  /** The job's settings; the test trains its fault-free reference with the same. */
  static final Map<String, String> SETTINGS = Map.of("rank", "5", "max_iter", "6", "num_user_blocks", "4",
      "num_item_blocks", "4", "seed", "7");

  private ExecutorLossDriver() {}

  public static void main(String[] args) throws Exception {
    String input = args[0];
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[2,1,1024]")
        .appName("blockals-executor-loss")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.jars", args[2])
        .config("spark.executor.extraJavaOptions", args[3])
        .config("spark.executor.memory", "768m")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "io.blockals.engine.KryoRegistration")
        .getOrCreate();
    AtomicInteger removed = new AtomicInteger();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        removed.incrementAndGet();
      }
    });
    while (executorJvms().size() < 2 || spark.sparkContext().statusTracker().getExecutorInfos().length < 3) {
      Thread.sleep(100);
    }
    System.out.println("EXECUTORS " + executorJvms().size());
    JobConfig cfg = JobConfig.load(null, SETTINGS, new Configuration());
    TrainJob.run(spark, input, args[1], cfg, (stats, maxIter) -> {
      if (stats.iteration() == 2) {
        killOneExecutor();
      }
    });
    System.out.println("EXECUTORS_REMOVED " + removed.get());
    spark.stop();
    System.out.println("DONE");
  }

  /** Executor JVMs started by this JVM's local-cluster workers: our descendants, nothing else on the machine. */
  private static List<ProcessHandle> executorJvms() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
  }

  private static void killOneExecutor() {
    Optional<ProcessHandle> victim = executorJvms().stream().findFirst();
    if (victim.isEmpty()) {
      throw new IllegalStateException("no executor JVM to kill");
    }
    victim.get().destroyForcibly();
    victim.get().onExit().join();
    System.out.println("KILLED " + victim.get().pid());
  }
}
