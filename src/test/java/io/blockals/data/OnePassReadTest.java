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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RatingsReader#open}: the rows are validated while the engine reads them, and {@link RatingsInput#finishRead}
 * must then give exactly the report (and the rejections) that the separate validation pass of
 * {@link RatingsReader#read} gives. Each case runs with both forms of the training rows: {@link Row}s
 * ({@link RatingsInput#trainingRows}) and Spark's internal rows ({@link RatingsInput#trainingInternalRows}, read
 * straight from the line bytes, which the train job uses).
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

  /** The training rows as strings, sorted; internal rows are reused by their reader, so each is turned into one. */
  private static JavaRDD<String> training(RatingsInput in, RatingsInput.PairFilter keep, boolean internal) {
    if (internal) {
      return in.trainingInternalRows(keep).map(r -> r.getUTF8String(0) + "|" + r.getUTF8String(1) + "|"
          + r.getDouble(2) + "|" + (r.isNullAt(3) ? null : r.getLong(3)) + "|" + (r.getLong(4) >= 0));
    }
    return in.trainingRows(keep).map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getDouble(2) + "|"
        + r.get(3) + "|" + (r.getLong(4) >= 0));
  }

  private static List<String> rows(RatingsInput in, RatingsInput.PairFilter keep, boolean internal) {
    return training(in, keep, internal).collect().stream().sorted().collect(Collectors.toList());
  }

  @ParameterizedTest(name = "internal rows: {0}")
  @ValueSource(booleans = {false, true})
  void trainingRowsValidateOnTheWayAndFinishReadNeedsNoOtherJob(boolean internal) throws IOException {
    String path = write(CSV);
    InputReport twoPass;
    try (RatingsInput in = RatingsReader.read(spark, path, SKIP_ALL, false)) {
      twoPass = in.report();
    }
    String group = "one-pass-" + internal;
    jsc.setJobGroup(group, "one pass", false);
    try (RatingsInput in = RatingsReader.open(spark, path, SKIP_ALL)) {
      assertThat(jsc.statusTracker().getJobIdsForGroup(group)).as("open runs no job").isEmpty();
      assertThat(rows(in, null, internal)).containsExactly("u1|i1|4.5|10|true", "u2|i2|1.0|12|true", "u3|i1|2.0|13|true");
      InputReport onePass = in.finishRead();
      assertThat(jsc.statusTracker().getJobIdsForGroup(group)).as("only the read itself ran").hasSize(1);
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
  void bothFormsReadEveryKindOfLineAlikeAcrossSplits() throws IOException {
    // A BOM before the header, CRLF endings, blank lines, quoted and non-ASCII ids (the slow path), blanks around
    // values, bad rows of several kinds; split every 32 bytes, so lines straddle split boundaries.
    String csv = "\uFEFFuser,item,rating,timestamp\r\n"
        + "u1,i1,4.5,10\r\n"
        + "\r\n"
        + "\"u,2\",i1,3,11\r\n"
        + "  u3 , i2 , 2.25 , 12 \r\n"
        + "ü4,i3,1,13\r\n"
        + "u5,i4,abc,14\r\n"
        + "u6,,3,15\r\n"
        + "u7,i5,3\r\n"
        + "u8,i6,5,2024-01-02T03:04:05Z\r\n"
        + "u9,i7,1e0,16\r\n"
        + "u1,i8,0.5,17";
    String path = write(csv);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    hadoop.setLong("mapreduce.input.fileinputformat.split.maxsize", 32);
    try {
      InputReport twoPass;
      try (RatingsInput in = RatingsReader.read(spark, path, SKIP_ALL, false)) {
        twoPass = in.report();
      }
      List<String> expected = null;
      for (boolean internal : new boolean[] {false, true}) {
        try (RatingsInput in = RatingsReader.open(spark, path, SKIP_ALL)) {
          assertThat(training(in, null, internal).getNumPartitions()).as("several splits").isGreaterThan(4);
          List<String> good = rows(in, null, internal);
          if (expected == null) {
            expected = good;
          }
          assertThat(good).as("internal rows: " + internal).isEqualTo(expected);
          InputReport r = in.finishRead();
          assertThat(r.goodRows()).isEqualTo(twoPass.goodRows());
          assertThat(r.badRows()).isEqualTo(twoPass.badRows());
          assertThat(r.badRowsByReason()).isEqualTo(twoPass.badRowsByReason());
          assertThat(r.examples()).extracting(InputReport.BadRow::message)
              .containsExactlyElementsOf(twoPass.examples().stream().map(InputReport.BadRow::message).toList());
        }
      }
      // an ISO timestamp and an exponent are good, read by the slow path; the other three bad
      assertThat(expected).hasSize(7).contains("u1|i1|4.5|10|true", "u,2|i1|3.0|11|true", "u3|i2|2.25|12|true",
          "ü4|i3|1.0|13|true", "u9|i7|1.0|16|true", "u1|i8|0.5|17|true", "u8|i6|5.0|1704164645|true");
      assertThat(twoPass.goodRows()).isEqualTo(7);
      assertThat(twoPass.badRows()).isEqualTo(3);
      assertThat(twoPass.examples().get(0).message()).contains("r.csv:7:");
    } finally {
      hadoop.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  @ParameterizedTest(name = "internal rows: {0}")
  @ValueSource(booleans = {false, true})
  void aFilterDropsPairsFromTrainingButNotFromTheCounts(boolean internal) throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      assertThat(rows(in, (u, i) -> !u.equals("u2"), internal)).containsExactly("u1|i1|4.5|10|true", "u3|i1|2.0|13|true");
      InputReport r = in.finishRead();
      assertThat(r.goodRows()).isEqualTo(3);
      assertThat(r.badRows()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "internal rows: {0}")
  @ValueSource(booleans = {false, true})
  void theFailPolicyRejectsAtFinishReadNamingFileAndLine(boolean internal) throws IOException {
    String path = write(CSV);
    try (RatingsInput in = RatingsReader.open(spark, path, FAIL)) {
      assertThat(training(in, null, internal).count()).isEqualTo(3);
      BlockalsException e = catchThrowableOfType(BlockalsException.class, in::finishRead);
      assertThat(e).isNotNull();
      assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
      assertThat(e.getMessage()).contains("r.csv:3:").contains("2 bad rows of 5");
    }
  }

  @ParameterizedTest(name = "internal rows: {0}")
  @ValueSource(booleans = {false, true})
  void aPartlyReadInputIsValidatedByItsOwnPass(boolean internal) throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      // take(1) stops reading the partition after its first good row, so that partition never reports
      assertThat(training(in, null, internal).take(1)).hasSize(1);
      InputReport r = in.finishRead();
      assertThat(r.goodRows()).isEqualTo(3);
      assertThat(r.badRows()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "internal rows: {0}")
  @ValueSource(booleans = {false, true})
  void aRetriedPartitionIsNotCountedTwice(boolean internal) throws IOException {
    try (RatingsInput in = RatingsReader.open(spark, write(CSV), SKIP_ALL)) {
      var rows = training(in, null, internal);
      rows.count();
      rows.count();
      assertThat(in.finishRead().goodRows()).isEqualTo(3);
    }
  }
}
