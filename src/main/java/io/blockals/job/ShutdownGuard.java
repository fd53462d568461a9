package io.blockals.job;

import io.blockals.model.ModelCommitter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up a train run when the JVM is asked to stop (SIGINT / Ctrl-C, SIGTERM from a scheduler): the run is marked
 * aborted so it can no longer publish, Spark is stopped (which cancels the tasks that write into staging), then the
 * staging and checkpoint folders are deleted. The JVM then exits with 128 + the signal number (130, 143).
 *
 * <p>Registered with Hadoop's {@link ShutdownHookManager} at a priority above both Spark's hooks
 * ({@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}) and Hadoop's FileSystem cache ({@code SHUTDOWN_HOOK_PRIORITY}),
 * because a plain JVM hook may run after Hadoop has closed the FileSystem it needs, or after Spark has stopped and the
 * main thread has begun to unwind. A commit already under way finishes first ({@link ModelCommitter} methods are
 * mutually exclusive): a signal never leaves half a swap. kill -9 runs no hook at all; the next run cleans up then.
 */
final class ShutdownGuard implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownGuard.class);
  static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;
  /** Stopping Spark waits for running tasks to notice; Hadoop's default of 30 s per hook can be too short. */
  private static final long TIMEOUT_SECONDS = 120;
  private static final AtomicBoolean FIRED = new AtomicBoolean();

  private final SparkSession spark;
  private final ModelCommitter committer;
  private final Path checkpoints;

  private ShutdownGuard(SparkSession spark, ModelCommitter committer, Path checkpoints) {
    this.spark = spark;
    this.committer = committer;
    this.checkpoints = checkpoints;
  }

  /** Registers the hook for one run; {@link #close()} unregisters it when the run ends normally. */
  static ShutdownGuard install(SparkSession spark, ModelCommitter committer, Path checkpoints) {
    ShutdownGuard g = new ShutdownGuard(spark, committer, checkpoints);
    ShutdownHookManager.get().addShutdownHook(g, PRIORITY, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return g;
  }

  /** True once a signal has started cleaning up a run in this JVM (the CLI then stays quiet about the fallout). */
  static boolean fired() {
    return FIRED.get();
  }

  @Override
  public void run() {
    if (!committer.abort()) {
      // Already published, refused or failed: nothing of ours to clean; Spark's own hook stops Spark.
      return;
    }
    FIRED.set(true);
    LOG.warn("interrupted: stopping Spark and removing the unfinished run {} ({})", committer.runId(),
        committer.staging());
    String stopped = "Spark session stopped";
    try {
      spark.stop();
    } catch (RuntimeException e) {
      stopped = "stopping Spark failed (" + e + ")";
    }
    // Again, now that no task can still be writing into it.
    committer.deleteStaging();
    try {
      checkpoints.getFileSystem(committer.fileSystem().getConf()).delete(checkpoints, true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove {}: {}", checkpoints, e.getMessage());
    }
    // The one line a scheduler shows; the exit code is 128 + the signal.
    System.err.println("blockals: interrupted: " + stopped + ", unfinished run " + committer.runId()
        + " removed; nothing was published and the published model, if any, is unchanged");
  }

  @Override
  public void close() {
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(this);
    }
  }
}
