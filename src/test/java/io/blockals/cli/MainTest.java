package io.blockals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.BlockalsException;
import io.blockals.kernel.SingularSystemException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Exit-code mapping without Spark. */
class MainTest {

  private static String[] reportOf(Throwable ex) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.report(ex, false);
    } finally {
      System.setErr(old);
    }
    return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void aBlockalsExceptionWrappedBySparkKeepsItsExitCode() {
    // Spark wraps an executor-side failure (a bad row found in a task) in its own exception.
    RuntimeException wrapped = new RuntimeException("Job aborted due to stage failure",
        BlockalsException.inputRejected("x.csv:7: column 'rating' value 'abc' is not a number"));
    String[] r = reportOf(wrapped);
    assertThat(r[0]).isEqualTo("3");
    assertThat(r[1]).isEqualTo("blockals: error: x.csv:7: column 'rating' value 'abc' is not a number\n");
  }

  @Test
  void aSingularSystemIsAConfigurationErrorWithAdvice() {
    RuntimeException wrapped = new RuntimeException("task failed", new SingularSystemException(10, 3, 0.0));
    String[] r = reportOf(wrapped);
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("reg_param").contains("apparent rank 3");
  }

  @Test
  void multiLineMessagesBecomeOneLine() {
    String[] r = reportOf(new IllegalStateException("first line\n  second line\r\nthird"));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1].strip()).doesNotContain("\n").contains("first line | second line | third");
    assertThat(r[1]).contains("--verbose");
  }
}
