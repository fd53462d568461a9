package io.blockals.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes a test started, stopped by PID, children first, whatever happens: {@link #close()} runs from the
 * test's finally/@AfterAll, and a JVM shutdown hook covers a test JVM that is interrupted or times out. Only
 * processes started through {@link #start} and their descendants (the executors and drivers a Worker forks) are
 * ever signalled.
 */
final class ChildProcesses implements AutoCloseable {
  private final List<Process> started = Collections.synchronizedList(new ArrayList<>());
  /** Every process stopped so far, descendants included, so {@link #alive()} can check none survived. */
  private final List<ProcessHandle> stopped = Collections.synchronizedList(new ArrayList<>());
  private final Thread hook = new Thread(this::stopAll, "blockals-test-process-reaper");

  ChildProcesses() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts a command with its output (stdout and stderr) appended to {@code log}. */
  Process start(ProcessBuilder pb, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Stops one process and its descendants; safe to call twice. */
  void stop(Process p) {
    // Descendants are collected before the parent is asked to stop (afterwards they are orphans no longer listed):
    // a Worker's own shutdown hook stops its executors and drivers, and whatever survives is ended by PID below.
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    stopped.add(p.toHandle());
    stopped.addAll(tree);
    p.destroy();
    waitFor(p.toHandle(), 15);
    for (ProcessHandle child : tree) {
      child.destroy();
    }
    for (ProcessHandle child : tree) {
      waitFor(child, 10);
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    if (p.isAlive()) {
      p.destroyForcibly();
      waitFor(p.toHandle(), 10);
    }
  }

  private static void waitFor(ProcessHandle h, int seconds) {
    try {
      h.onExit().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // still alive: the caller escalates
    }
  }

  private void stopAll() {
    List<Process> all;
    synchronized (started) {
      all = new ArrayList<>(started);
    }
    // Last started first: submitters, then Workers, then the Master.
    Collections.reverse(all);
    for (Process p : all) {
      stop(p);
    }
  }

  /** PIDs still alive among the started processes and every descendant seen (for an assertion after close). */
  List<Long> alive() {
    List<Long> pids = new ArrayList<>();
    synchronized (started) {
      for (Process p : started) {
        if (p.isAlive()) {
          pids.add(p.pid());
        }
        p.descendants().filter(ProcessHandle::isAlive).forEach(h -> pids.add(h.pid()));
      }
    }
    synchronized (stopped) {
      stopped.stream().filter(ProcessHandle::isAlive).forEach(h -> pids.add(h.pid()));
    }
    return pids;
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and the hook is running or has run
    }
  }

  /** The last lines of a log, for failure messages. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return log + " (last " + Math.min(lines, all.size()) + " lines):\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return log + ": unreadable (" + e.getMessage() + ")";
    }
  }
}
