package io.blockals.safety;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A JVM started by a test, with the test's class path and the --add-opens flags Spark needs, its stdout and stderr
 * going to files. Waiting is on conditions (a file appears, a line is logged), each with a generous bound that only
 * guards against a hang: it fails the test with the child's output rather than asserting anything about time.
 */
final class ChildJvm implements AutoCloseable {
  /** Only a guard against a hung child; never reached by a healthy run. */
  private static final long HANG_GUARD_MS = 150_000;

  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code mainClass args} with the given heap, extra JVM options and environment. */
  static ChildJvm start(Path logDir, String name, String heap, List<String> jvmOptions, Map<String, String> env,
      String mainClass, List<String> args) throws IOException {
    return start(List.of(), logDir, name, heap, jvmOptions, env, mainClass, args);
  }

  /**
   * As {@link #start(Path, String, String, List, Map, String, List)}, the java command preceded by {@code launcher}
   * (e.g. {@code env --default-signal=INT}, which execs it: the process is still the JVM).
   */
  static ChildJvm start(List<String> launcher, Path logDir, String name, String heap, List<String> jvmOptions,
      Map<String, String> env, String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(sparkFlags());
    String log4j = System.getProperty("log4j2.configurationFile");
    if (log4j != null) {
      cmd.add("-Dlog4j2.configurationFile=" + log4j);
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    return new ChildJvm(pb.start(), out, err);
  }

  /** The --add-opens and related flags this JVM was started with (Failsafe's argLine: pom property spark.jvm.flags). */
  static List<String> sparkFlags() {
    List<String> flags = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-modules")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
        flags.add(a);
      }
    }
    return flags;
  }

  /** The real test class path (Surefire/Failsafe run the tests through a manifest-only booter jar). */
  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** Every jar of the test class path. */
  static List<Path> classPathJars() {
    List<Path> jars = new ArrayList<>();
    for (String e : classPath().split(File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        jars.add(Path.of(e));
      }
    }
    return jars;
  }

  /** Waits until {@code condition} holds; fails (with the child's output) if the child exits first. */
  void awaitCondition(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.currentTimeMillis() + HANG_GUARD_MS;
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        if (condition.getAsBoolean()) {
          return;
        }
        fail("child exited with " + process.exitValue() + " before " + what + "\n" + output());
      }
      if (System.currentTimeMillis() > deadline) {
        fail("hang guard: no " + what + "\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** Waits for the exit and returns the code; fails with the output if the child hangs. */
  int awaitExit() throws Exception {
    if (!process.waitFor(HANG_GUARD_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      fail("hang guard: child still running\n" + output());
    }
    return process.exitValue();
  }

  boolean stdoutContains(String s) {
    return read(stdout).contains(s);
  }

  String err() {
    return read(stderr);
  }

  String output() {
    return "--- stdout ---\n" + tail(read(stdout)) + "\n--- stderr ---\n" + tail(read(stderr));
  }

  /** Sends a signal by name (TERM, INT) with the system's kill command. */
  void signal(String name) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
    if (k.waitFor() != 0) {
      fail("kill -" + name + " " + process.pid() + " failed");
    }
  }

  private static String tail(String s) {
    return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
