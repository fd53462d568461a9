package io.blockals.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the project's {@code submit.sh} as a user or a scheduler would, on the application jar this build made
 * ({@code BLOCKALS_JAR}, so no nested Maven build) and without any Spark installation: SPARK_HOME is removed and PATH
 * entries holding a {@code spark-submit} are dropped, so the script takes its SparkSubmit-from-Maven path.
 */
final class SubmitScript {
  /** What one run did: its exit code, its wall time and its combined output. */
  record Run(int exitCode, Duration wallTime, Path log) {
    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable " + log + ")";
      }
    }

    /** The job's own time ("model written to ...: ..., 21.9 s"), from reading the input to the commit. */
    double jobSeconds() {
      return SubmitScript.jobSeconds(output());
    }

    String tail() {
      return ChildProcesses.tail(log, 40);
    }
  }

  /** The time a train job reports on its last line, or NaN when the text has no such line. */
  static double jobSeconds(String output) {
    Matcher m = Pattern.compile("model written to .*, ([0-9.]+) s\\s*$", Pattern.MULTILINE).matcher(output);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private final ChildProcesses processes;
  private final Path script;
  private final Path appJar;
  private final Path logDir;
  private int runs;

  SubmitScript(ChildProcesses processes, Path script, Path appJar, Path logDir) {
    this.processes = processes;
    this.script = script;
    this.appJar = appJar;
    this.logDir = logDir;
  }

  /** Runs {@code submit.sh args...}; a run over {@code timeout} is stopped (with its children) and fails. */
  Run run(String name, Duration timeout, String... args) throws IOException, InterruptedException {
    return run(name, timeout, Map.of(), args);
  }

  /** As {@link #run(String, Duration, String...)} with extra environment variables, set last. */
  Run run(String name, Duration timeout, Map<String, String> extraEnv, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(script.getParent().toFile());
    Map<String, String> env = pb.environment();
    StandaloneCluster.loopbackEnvironment(env);
    env.remove("SPARK_HOME");
    env.remove("SPARK_SUBMIT_OPTS");
    env.put("PATH", pathWithoutSparkSubmit(env.getOrDefault("PATH", "/usr/bin:/bin")));
    env.put("BLOCKALS_JAR", appJar.toString());
    env.putAll(extraEnv);
    Path log = logDir.resolve(String.format("%02d-%s.log", ++runs, name));
    long start = System.nanoTime();
    Process p = processes.start(pb, log);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      processes.stop(p);
      throw new AssertionError("submit.sh " + String.join(" ", args) + " did not finish within " + timeout + "\n"
          + ChildProcesses.tail(log, 40));
    }
    return new Run(p.exitValue(), Duration.ofNanos(System.nanoTime() - start), log);
  }

  private static String pathWithoutSparkSubmit(String path) {
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty() && !Files.isExecutable(Path.of(dir, "spark-submit")))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
