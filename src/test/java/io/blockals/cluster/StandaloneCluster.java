package io.blockals.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and {@code n} Workers, each a separate JVM started from the
 * Maven dependency jars, with 1 core and 1g each. A folder whose {@code jars/} links to the runtime class path
 * serves as SPARK_HOME: the Worker builds executor and driver class paths from {@code $SPARK_HOME/jars/*} and reads
 * SPARK_HOME from the environment only. Every port is picked free, so two builds on one machine do not collide.
 */
final class StandaloneCluster {
  static final String WORKER_MEMORY = "1g";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChildProcesses processes;
  private final Path root;
  private final Path sparkHome;
  private final List<String> jvmFlags;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Path> logs = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StandaloneCluster(ChildProcesses processes, Path root, Path sparkHome, List<String> jvmFlags, int[] ports) {
    this.processes = processes;
    this.root = root;
    this.sparkHome = sparkHome;
    this.jvmFlags = jvmFlags;
    this.masterPort = ports[0];
    this.masterUiPort = ports[1];
  }

  /**
   * Starts a Master and {@code workers} Workers and waits until all Workers are registered.
   *
   * @param classpathFile the runtime class path (one line, ':'-separated), Spark included
   * @param jvmFlags the --add-opens flags every Spark JVM needs on Java 17
   */
  static StandaloneCluster start(ChildProcesses processes, Path root, Path classpathFile, String jvmFlags,
      int workers, Duration timeout) throws IOException, InterruptedException {
    Path sparkHome = makeSparkHome(root.resolve("spark-home"), classpathFile);
    int[] ports = freePorts(2 + 2 * workers);
    List<String> flags = Arrays.stream(jvmFlags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    StandaloneCluster cluster = new StandaloneCluster(processes, root, sparkHome, flags, ports);
    // The REST submission server would take the fixed port 6066; submissions go through the Master's RPC port.
    cluster.launch("master", "org.apache.spark.deploy.master.Master", List.of("-Dspark.master.rest.enabled=false"),
        "--host", "127.0.0.1", "--port", String.valueOf(cluster.masterPort),
        "--webui-port", String.valueOf(cluster.masterUiPort));
    for (int i = 0; i < workers; i++) {
      Path work = root.resolve("worker-" + i);
      Files.createDirectories(work.resolve("local"));
      cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker",
          List.of("-Dspark.worker.cleanup.enabled=false"),
          "--host", "127.0.0.1", "--port", String.valueOf(ports[2 + 2 * i]),
          "--webui-port", String.valueOf(ports[3 + 2 * i]), "--cores", "1", "--memory", WORKER_MEMORY,
          "--work-dir", work.toString(), cluster.masterUrl());
    }
    cluster.awaitWorkers(workers, timeout);
    return cluster;
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  Path sparkHome() {
    return sparkHome;
  }

  /** The environment every cluster JVM and every submitter gets: loopback only, this SPARK_HOME, Scala 2.13. */
  static void loopbackEnvironment(Map<String, String> env) {
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // Without it the launcher looks for a Spark source tree's build directories and every executor launch fails
    // with "Cannot find any build directories".
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("SPARK_CONF_DIR");
    env.remove("HADOOP_CONF_DIR");
    env.remove("YARN_CONF_DIR");
  }

  /** The Master's state as its web UI reports it ({@code /json/}): workers, apps and drivers with their states. */
  JsonNode state() throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
        .timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (resp.statusCode() != 200) {
      throw new IOException("master UI answered " + resp.statusCode());
    }
    return JSON.readTree(resp.body());
  }

  /** The tails of the Master's and Workers' logs and of every driver's stderr, for failure messages. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder();
    for (Path log : logs) {
      sb.append('\n').append(ChildProcesses.tail(log, 15));
    }
    try (var walk = Files.walk(root)) {
      walk.filter(p -> p.getFileName().toString().equals("stderr")).forEach(
          p -> sb.append('\n').append(ChildProcesses.tail(p, 15)));
    } catch (IOException e) {
      sb.append("\n(could not list the work folders: ").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  private void launch(String name, String mainClass, List<String> props, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A daemon needs little heap; executors and drivers get their own JVMs, sized by the submission.
    cmd.add("-Xmx256m");
    cmd.addAll(jvmFlags);
    cmd.addAll(props);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    loopbackEnvironment(pb.environment());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    if (name.startsWith("worker")) {
      // Shuffle and block files of the executors stay inside the test's folder.
      pb.environment().put("SPARK_LOCAL_DIRS", root.resolve(name).resolve("local").toString());
    }
    Path log = root.resolve("logs").resolve(name + ".log");
    logs.add(log);
    processes.start(pb, log);
  }

  private void awaitWorkers(int workers, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer from the master UI yet";
    while (System.nanoTime() < deadline) {
      try {
        JsonNode s = state();
        last = "status " + s.path("status").asText() + ", " + s.path("aliveworkers").asInt() + " workers alive";
        if ("ALIVE".equals(s.path("status").asText()) && s.path("aliveworkers").asInt() == workers) {
          return;
        }
      } catch (IOException e) {
        // the UI is not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the standalone cluster did not come up within " + timeout + " (" + last + ")"
        + diagnostics());
  }

  /** A SPARK_HOME made of links to the runtime jars (copies where links are not allowed). */
  private static Path makeSparkHome(Path home, Path classpathFile) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    String cp = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName());
      if (Files.exists(link)) {
        continue;
      }
      try {
        Files.createSymbolicLink(link, jar);
      } catch (UnsupportedOperationException | IOException e) {
        Files.copy(jar, link);
      }
    }
    return home;
  }

  /** Distinct free loopback ports; they are released before use, which is racy but fine on a test machine. */
  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
