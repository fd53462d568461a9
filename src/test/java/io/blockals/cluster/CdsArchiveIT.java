package io.blockals.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.BlockalsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh's class-data-sharing archive, on a copy of the application jar (so the build's own archive is left
 * alone): only a train run writes it, it appears whole under its final name, a later run maps it (a JVM told
 * {@code -Xshare:on} refuses to start when it cannot), and {@code BLOCKALS_CDS} is checked before any JVM starts.
 */
class CdsArchiveIT {
  @TempDir
  static Path tmp;

  private static ChildProcesses processes;
  private static SubmitScript submit;
  private static Path jarDir;

  @BeforeAll
  static void setUp() throws Exception {
    Path built = Path.of(System.getProperty("blockals.app.jar"));
    jarDir = Files.createDirectories(tmp.resolve("app"));
    Path jar = Files.copy(built, jarDir.resolve(built.getFileName()));
    Files.copy(built.resolveSibling("runtime-classpath.txt"), jarDir.resolve("runtime-classpath.txt"));
    processes = new ChildProcesses();
    submit = new SubmitScript(processes, Path.of("submit.sh").toAbsolutePath(), jar,
        Files.createDirectories(tmp.resolve("logs")));
  }

  @AfterAll
  static void tearDown() {
    processes.close();
  }

  private static Path archive() {
    return jarDir.resolve("blockals-cds.jsa");
  }

  private static long leftovers() throws Exception {
    try (Stream<Path> files = Files.list(jarDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
    }
  }

  @Test
  void theFirstTrainRunWritesTheArchiveAndLaterRunsMapIt() throws Exception {
    SubmitScript.Run gen = submit.run("generate", Duration.ofMinutes(3), "generate", "--output",
        tmp.resolve("planted").toString(), "--users", "50", "--items", "20", "--ratings", "600");
    assertThat(gen.exitCode()).as(gen::tail).isZero();
    assertThat(archive()).as("only train writes the archive").doesNotExist();

    String[] train = {"train", "--master", "local[2]", "--input", Path.of("data/toy/ratings.csv").toAbsolutePath()
        .toString(), "--output", tmp.resolve("m1").toString(), "--set", "rank=2"};
    SubmitScript.Run first = submit.run("train-writes-archive", Duration.ofMinutes(4), train);
    assertThat(first.exitCode()).as(first::tail).isZero();
    assertThat(first.output()).contains("model written to");
    assertThat(archive()).isNotEmptyFile();
    assertThat(leftovers()).as("the archive is renamed into place, nothing half-written is left").isZero();
    FileTime written = Files.getLastModifiedTime(archive());

    train[6] = tmp.resolve("m2").toString();
    // -Xshare:on comes after the launcher's -Xshare:auto, so this JVM exits with an error unless it maps the archive
    SubmitScript.Run second = submit.run("train-maps-archive", Duration.ofMinutes(3),
        Map.of("SPARK_SUBMIT_OPTS", "-Xshare:on"), train);
    assertThat(second.exitCode()).as(second::tail).isZero();
    assertThat(second.output()).contains("model written to").doesNotContain("shared archive");
    assertThat(Files.getLastModifiedTime(archive())).as("a usable archive is not rewritten").isEqualTo(written);
  }

  @Test
  void aBadSettingIsAUsageErrorBeforeAnyJvm() throws Exception {
    SubmitScript.Run run = submit.run("bad-cds", Duration.ofSeconds(30), Map.of("BLOCKALS_CDS", "maybe"),
        "train", "--input", "x", "--output", tmp.resolve("never").toString());
    assertThat(run.exitCode()).as(run::tail).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(run.output()).contains("BLOCKALS_CDS must be auto or off").doesNotContain("SparkSubmit");
  }
}
