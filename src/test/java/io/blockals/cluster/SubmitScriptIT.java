package io.blockals.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.BlockalsException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * submit.sh rejects a bad command line itself, with one line and the usage, exit 2, before any JVM starts: a
 * scheduler learns of a typo in seconds, not after a Spark start-up. (Exit codes of the job are forwarded unchanged;
 * {@link StandaloneClusterIT} checks that through a cluster.)
 */
class SubmitScriptIT {
  @TempDir
  static Path tmp;

  private static ChildProcesses processes;
  private static SubmitScript submit;

  @BeforeAll
  static void setUp() {
    processes = new ChildProcesses();
    submit = new SubmitScript(processes, Path.of("submit.sh").toAbsolutePath(),
        Path.of(System.getProperty("blockals.app.jar")), tmp);
  }

  @AfterAll
  static void tearDown() {
    processes.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no command                      |                                                                   | missing command
      unknown command                 | trian --input x                                                   | unknown command 'trian'
      bad deploy mode                 | train --deploy-mode server                                        | --deploy-mode must be client or cluster
      cluster mode with a local master| train --master local[2] --deploy-mode cluster                     | needs a cluster master
      unknown master                  | train --master spark:/h:7077                                      | --master must be
      conf without a value            | train --conf spark.executor.memory                                | --conf needs KEY=VALUE
      option without its value        | train --input x --master                                          | --master needs a value
      relative path in cluster mode   | train --master spark://h:7077 --deploy-mode cluster --input d.csv | --input must be an absolute path
      yarn without a Spark install    | train --master yarn --input x                                     | needs a Spark installation
      driver memory                   | train --driver-memory lots                                        | driver memory must look like
      """)
  void usageErrorsExitTwoBeforeAnyJvm(String what, String args, String message) throws Exception {
    String[] argv = args == null ? new String[0] : args.trim().split("\\s+");
    SubmitScript.Run run = submit.run("usage", Duration.ofSeconds(30), argv);
    assertThat(run.exitCode()).as(run::tail).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(run.output()).startsWith("blockals: ").contains(message).contains("usage: ");
    // No JVM ran: nothing from Java, Spark or picocli in the output.
    assertThat(run.output()).doesNotContain("Exception").doesNotContain("SparkSubmit");
  }
}
