package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RatingsReader#open}: the rows are validated while the engine reads them, and {@link RatingsInput#finishRead}
 * must then give exactly the report (and the rejections) that the separate validation pass of
 * {@link RatingsReader#read} gives.
 */
class OnePassReadTest extends SparkTestBase {
  private static final InputSpec FAIL = InputSpec.defaults().withTimestampCol("timestamp");
  private static final InputSpec SKIP_ALL = FAIL.withBadRows(BadRowPolicy.SKIP, 1.0);
  private static final String CSV = "user,item,rating,timestamp\n"
      + "u1,i1,4.5,10\n"
      + "u2,i1,x,11\n"          // line 3: not a number
      + "u2,i2,1,12\n"
      + "u3,i3,4\n"             // line 5: a field short
      + "u3,i1,2,13\n";

  @TempDir
  Path dir;

  private String write(String content) throws IOException {
    Path p = dir.resolve("r.csv");
    Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    return p.toString();
  }

  private static List<String> rows(List<Row> rs) {
    return rs.stream().map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getDouble(2) + "|" + r.get(3) + "|"
        + (r.getLong(4) >= 0)).sorted().collect(Collectors.toList());
  }

  @Test
  void trainingRowsValidateOnTheWayAndFinishReadNeedsNoOtherJob() throws IOException {
    String path = write(CSV);
    InputReport twoPass;
    try (RatingsInput in = RatingsReader.read(spark, path, SKIP_ALL, false)) {
      twoPass = in.report();
    }
    jsc.setJobGroup("one-pass", "one pass", false);
    try (RatingsInput in = RatingsReader.open(spark, path, SKIP_ALL)) {
      assertThat(jsc.statusTracker().getJobIdsForGroup("one-pass")).as("open runs no job").isEmpty();
      List<Row> good = in.trainingRows(null).collect();
      assertThat(rows(good)).containsExactly("u1|i1|4.5|10|true", "u2|i2|1.0|12|true", "u3|i1|2.0|13|true");
      InputReport onePass = in.finishRead();
      assertThat(jsc.statusTracker().getJobIdsForGroup("one-pass")).as("only the read itself ran").hasSize(1);
      assertThat(onePass.goodRows()).isEqualTo(3);
      assertThat(onePass.badRows()).isEqualTo(2);
      assertThat(onePass.badRowsByReason()).isEqualTo(twoPass.badRowsByReason());
      assertThat(onePass.examples()).extracting(InputReport.BadRow::message)
          .containsExactlyElementsOf(twoPass.examples().stream().map(InputReport.BadRow::message).toList());
      assertThat(onePass.examples().get(0).message()).contains("r.csv:3:");
      assertThat(onePass.examples().get(1).message()).contains("r.csv:5:");
      assertThat(in.finishRead()).isSameAs(onePass);
    } finally {
      jsc.clearJobGroup();
    }
  }

  @Test
  void aFilterDropsPairsFromTrainingButNotFromTheCounts() throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      List<Row> good = in.trainingRows((u, i) -> !u.equals("u2")).collect();
      assertThat(rows(good)).containsExactly("u1|i1|4.5|10|true", "u3|i1|2.0|13|true");
      InputReport r = in.finishRead();
      assertThat(r.goodRows()).isEqualTo(3);
      assertThat(r.badRows()).isEqualTo(2);
    }
  }

  @Test
  void theFailPolicyRejectsAtFinishReadNamingFileAndLine() throws IOException {
    String path = write(CSV);
    try (RatingsInput in = RatingsReader.open(spark, path, FAIL)) {
      assertThat(in.trainingRows(null).count()).isEqualTo(3);
      BlockalsException e = catchThrowableOfType(BlockalsException.class, in::finishRead);
      assertThat(e).isNotNull();
      assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
      assertThat(e.getMessage()).contains("r.csv:3:").contains("2 bad rows of 5");
    }
  }

  @Test
  void aPartlyReadInputIsValidatedByItsOwnPass() throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      // take(1) stops reading the partition after its first good row, so that partition never reports
      assertThat(in.trainingRows(null).take(1)).hasSize(1);
      InputReport r = in.finishRead();
      assertThat(r.goodRows()).isEqualTo(3);
      assertThat(r.badRows()).isEqualTo(2);
    }
  }

  @Test
  void aRetriedPartitionIsNotCountedTwice() throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      var rows = in.trainingRows(null);
      rows.count();
      rows.count();
      assertThat(in.finishRead().goodRows()).isEqualTo(3);
    }
  }
}
