package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text inputs (csv, tsv, MovieLens) read through Spark: one case per kind of bad input, plus splitting. */
class RatingsReaderTextTest extends SparkTestBase {
  private static final InputSpec DEFAULTS = InputSpec.defaults();
  private static final InputSpec SKIP_ALL = DEFAULTS.withBadRows(BadRowPolicy.SKIP, 1.0);

  @TempDir
  Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private static BlockalsException rejected(String path, InputSpec spec) {
    return Rejections.rejected(spark, path, spec);
  }

  /** user|item|rating|ts of the good rows in file order. */
  private static List<String> goodRows(RatingsInput in) {
    return in.ratings().orderBy("ord").collectAsList().stream()
        .map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getDouble(2) + "|" + (r.isNullAt(3) ? null
            : r.getLong(3)))
        .collect(Collectors.toList());
  }

  @Test
  void goodCsvHasTheContractSchemaAndIsCachedUntilClosed() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,4.5\nu2,i1,3\n\nu2,i2,1\n");
    jsc.setJobGroup("one-pass", "read", false);
    RatingsInput in;
    try {
      in = RatingsReader.read(spark, f.toString(), DEFAULTS);
    } finally {
      jsc.clearJobGroup();
    }
    // parsing, caching and counting happen in one job; the good rows come from the cache
    assertThat(jsc.statusTracker().getJobIdsForGroup("one-pass")).hasSize(1);
    assertThat(in.ratings().queryExecution().executedPlan().toString())
        .contains("In-memory table " + in.cacheName());
    assertThat(in.ratings().schema()).isEqualTo(RatingsInput.RATINGS_SCHEMA);
    assertThat(goodRows(in)).containsExactly("u1|i1|4.5|null", "u2|i1|3.0|null", "u2|i2|1.0|null");
    assertThat(in.report().rowsRead()).isEqualTo(3);
    assertThat(spark.catalog().isCached(in.cacheName())).isTrue();
    assertThat(spark.sparkContext().getRDDStorageInfo()).anySatisfy(
        info -> assertThat(info.name()).contains(in.cacheName()));
    in.close();
    assertThat(spark.catalog().tableExists(in.cacheName())).isFalse();
    in.close();
  }

  @Test
  void nonNumericRating() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,4\nu2,i1,5\nu3,i1,abc\nu4,i2,2\n");
    BlockalsException e = rejected(f.toString(), DEFAULTS);
    assertThat(e.getMessage()).startsWith(f + ":4: column 'rating' value 'abc' is not a number (1 bad row of 4;")
        .contains("bad_rows=skip or quarantine with max_bad_fraction >= 0.25");
    // a rejected read leaves nothing cached behind
    assertThat(jsc.getPersistentRDDs()).isEmpty();
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(in.report().goodRows()).isEqualTo(3);
      assertThat(in.report().badRowsByReason()).containsExactly(Map.entry("not_a_number", 1L));
    }
  }

  @Test
  void nanAndInfinityRatings() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,NaN\nu2,i1,4\nu3,i1,Infinity\nu4,i1,-inf\n");
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .startsWith(f + ":2: column 'rating' value 'NaN' is not a finite number (3 bad rows of 4;");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(goodRows(in)).containsExactly("u2|i1|4.0|null");
      assertThat(in.report().examples()).extracting(InputReport.BadRow::line, InputReport.BadRow::value)
          .containsExactly(tuple(2L, "NaN"),
              tuple(4L, "Infinity"), tuple(5L, "-inf"));
    }
  }

  @Test
  void emptyAndMissingFields() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,\nu2,i2\nu3,i3,3\n");
    assertThat(rejected(f.toString(), DEFAULTS).getMessage()).startsWith(f + ":2: column 'rating' is empty");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(in.report().badRowsByReason()).containsExactly(Map.entry("missing_field", 2L));
      assertThat(in.report().examples().get(1).message())
          .isEqualTo(f + ":3: column 'rating' is missing (expected 3 fields, found 2: 'u2,i2')");
      assertThat(goodRows(in)).containsExactly("u3|i3|3.0|null");
    }
  }

  @Test
  void extraFields() throws IOException {
    Path f = write("r.csv", "user,item,rating,timestamp\nu1,i1,4,100\nu2,i1,3,200,oops\n");
    InputSpec spec = DEFAULTS.withTimestampCol("timestamp");
    assertThat(rejected(f.toString(), spec).getMessage())
        .startsWith(f + ":3: expected 4 fields, found 5: 'u2,i1,3,200,oops' (1 bad row of 2;");
  }

  @Test
  void emptyId() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,4\n  ,i2,3\nu3,,2\n");
    assertThat(rejected(f.toString(), DEFAULTS).getMessage()).startsWith(f + ":3: column 'user' is an empty id");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(in.report().badRowsByReason()).containsExactly(Map.entry("empty_id", 2L));
      assertThat(in.report().examples().get(1).column()).isEqualTo("item");
    }
  }

  @Test
  void ratingOutsideBounds() throws IOException {
    Path f = write("r.csv", "user,item,rating\nu1,i1,1\nu2,i1,5\nu3,i1,5.5\nu4,i1,0\n");
    InputSpec bounded = DEFAULTS.withRatingRange(1, 5);
    assertThat(rejected(f.toString(), bounded).getMessage())
        .startsWith(f + ":4: column 'rating' value '5.5' is outside [1, 5]");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), bounded.withBadRows(BadRowPolicy.SKIP, 0.5))) {
      assertThat(goodRows(in)).containsExactly("u1|i1|1.0|null", "u2|i1|5.0|null");
      assertThat(in.report().badRowsByReason()).containsExactly(Map.entry("out_of_range", 2L));
    }
  }

  @Test
  void unparseableTimestamp() throws IOException {
    Path f = write("r.csv", "user,item,rating,ts\nu1,i1,4,978300760\nu2,i1,3,last tuesday\n");
    assertThat(rejected(f.toString(), DEFAULTS.withTimestampCol("ts")).getMessage())
        .startsWith(f + ":3: column 'ts' value 'last tuesday' is not an integer or ISO-8601 timestamp");
  }

  @Test
  void wrongDelimiterWithoutHeaderSuggestsTheRightOne() throws IOException {
    Path f = write("r.csv", "u1;i1;4\nu2;i1;3\n");
    assertThat(rejected(f.toString(), DEFAULTS.withHeader(false)).getMessage())
        .startsWith(f + ":1: column 'item' is missing (expected 3 fields, found 1: 'u1;i1;4'); did you mean "
            + "delimiter ';'? (2 bad rows of 2;");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS.withHeader(false).withDelimiter(";"))) {
      assertThat(in.report().goodRows()).isEqualTo(2);
    }
  }

  @Test
  void wrongDelimiterInHeaderSuggestsTheRightOne() throws IOException {
    Path f = write("r.csv", "user|item|rating\nu1|i1|4\n");
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .isEqualTo("column 'user' not found in header of " + f + ": found [user|item|rating]; did you mean "
            + "delimiter '|'? (columns are set with user_col, item_col, rating_col, timestamp_col)");
  }

  @Test
  void missingHeaderColumn() throws IOException {
    Path f = write("r.csv", "user,item,stars\nu1,i1,4\n");
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .startsWith("column 'rating' not found in header of " + f + ": found [user, item, stars]");
  }

  @Test
  void emptyInputs() throws IOException {
    Path empty = write("empty.csv", "");
    assertThat(rejected(empty.toString(), DEFAULTS).getMessage()).startsWith("no ratings in " + empty);
    Path headerOnly = write("h.csv", "user,item,rating\n\n");
    assertThat(rejected(headerOnly.toString(), DEFAULTS).getMessage()).startsWith("no ratings in " + headerOnly);
    Path emptyDir = Files.createDirectories(dir.resolve("nothing"));
    write("nothing/_SUCCESS", "");
    assertThat(rejected(emptyDir.toString(), DEFAULTS).getMessage()).startsWith("no ratings in " + emptyDir);
  }

  @Test
  void nonExistentPath() {
    String missing = dir.resolve("no/such/file.csv").toString();
    assertThat(rejected(missing, DEFAULTS).getMessage()).isEqualTo("input path does not exist: " + missing);
  }

  @Test
  void directoryWithOneBadFile() throws IOException {
    write("d/a.csv", "user,item,rating\na1,i1,1\na2,i1,2\n");
    write("d/b.csv", "user,item,rating\nb1,i1,3\nb2,i1,x\nb3,i1,4\n");
    write("d/c.csv", "item,user,rating\ni9,c1,5\n");
    write("d/_SUCCESS", "");
    write("d/.hidden.csv", "garbage");
    String d = dir.resolve("d").toString();
    assertThat(rejected(d, DEFAULTS).getMessage())
        .startsWith(d + "/b.csv:3: column 'rating' value 'x' is not a number (1 bad row of 6;");
    try (RatingsInput in = RatingsReader.read(spark, d, DEFAULTS.withBadRows(BadRowPolicy.SKIP, 0.2))) {
      assertThat(goodRows(in)).containsExactly("a1|i1|1.0|null", "a2|i1|2.0|null", "b1|i1|3.0|null",
          "b3|i1|4.0|null", "c1|i9|5.0|null");
      assertThat(in.report().files()).extracting(InputReport.InputFile::path)
          .containsExactly(d + "/a.csv", d + "/b.csv", d + "/c.csv");
    }
    // one bad row in six is more than 10 %
    assertThat(rejected(d, DEFAULTS.withBadRows(BadRowPolicy.SKIP, 0.1)).getMessage())
        .startsWith("1 of 6 rows of " + d + " are bad (0.1667), more than max_bad_fraction 0.1 allows; first: "
            + d + "/b.csv:3:");
  }

  @Test
  void windowsLineEndings() throws IOException {
    Path f = write("r.csv", "user,item,rating\r\nu1,i1,4\r\nu2,i1,3.5\r\nu3,i1,bad\r\n");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(goodRows(in)).containsExactly("u1|i1|4.0|null", "u2|i1|3.5|null");
      assertThat(in.report().examples().get(0).message())
          .isEqualTo(f + ":4: column 'rating' value 'bad' is not a number");
    }
  }

  @Test
  void utf8ByteOrderMarkBeforeTheHeader() throws IOException {
    Path f = write("r.csv", "\uFEFFuser,item,rating\nü1,i1,4\n");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS)) {
      assertThat(goodRows(in)).containsExactly("ü1|i1|4.0|null");
    }
    Path noHeader = write("n.csv", "\uFEFFu1,i1,4\n");
    try (RatingsInput in = RatingsReader.read(spark, noHeader.toString(), DEFAULTS.withHeader(false))) {
      assertThat(goodRows(in)).containsExactly("u1|i1|4.0|null");
    }
  }

  @Test
  void quotedIdsMayContainTheDelimiter() throws IOException {
    Path f = write("r.csv", "user,item,rating\n\"a,b\",\"The \"\"Best\"\" Film, Part 2\",4\n\"c\nd\",i1,3\n");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(goodRows(in)).containsExactly("a,b|The \"Best\" Film, Part 2|4.0|null", "d\"|i1|3.0|null");
      assertThat(in.report().examples().get(0).message()).startsWith(f + ":3: quoted field 1 is not closed on "
          + "this line (quoted fields spanning lines are not supported)");
    }
  }

  @Test
  void tabSeparated() throws IOException {
    // in tsv, commas and spaces are part of the ids
    Path f = write("r.tsv", "item\tuser\trating\ni 1\tu,1\t2.5\ni2\tu1\t\n");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), SKIP_ALL)) {
      assertThat(goodRows(in)).containsExactly("u,1|i 1|2.5|null");
      assertThat(in.report().format()).isEqualTo("tsv");
      assertThat(in.report().examples().get(0).message()).isEqualTo(f + ":3: column 'rating' is empty");
    }
  }

  @Test
  void movieLensRatingsDat() throws IOException {
    Path f = write("ml/ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1357::x::978298709\n");
    InputSpec spec = DEFAULTS.withColumns("ignored", "also", "these").withBadRows(BadRowPolicy.SKIP, 0.5);
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), spec)) {
      assertThat(goodRows(in)).containsExactly("1|1193|5.0|978300760", "1|661|3.0|978302109");
      assertThat(in.report().format()).isEqualTo("movielens");
      assertThat(in.report().examples().get(0).message())
          .isEqualTo(f + ":3: column 'rating' value 'x' is not a number");
    }
  }

  @Test
  void gzipCompressedCsv() throws IOException {
    Path f = dir.resolve("r.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("user,item,rating\nu1,i1,4\nu2,i1,oops\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .startsWith(f + ":3: column 'rating' value 'oops' is not a number");
  }

  @Test
  void movieLensUData() throws IOException {
    Path f = write("ml100k/u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS)) {
      assertThat(goodRows(in)).containsExactly("196|242|3.0|881250949", "186|302|3.0|891717742");
    }
  }

  @Test
  void aFileOfOneBlockIsReadInEqualSplitsOneATask() throws IOException {
    // ~9 MB, one 32 MB local block: Hadoop alone reads it as one split, one task while the others wait
    StringBuilder sb = new StringBuilder("user,item,rating\n");
    int lines = 330_000;
    for (int i = 0; i < lines; i++) {
      sb.append("user-").append(i % 7919).append(",item-number-").append(i % 1543).append(',').append(i % 5 + 1)
          .append('\n');
    }
    Path f = write("one-block.csv", sb.toString());
    int cores = jsc.defaultParallelism();
    assertThat(Files.size(f)).isGreaterThan(cores * TextSource.BALANCED_MIN_SPLIT).isLessThan(32L << 20);
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS)) {
      List<Integer> perSplit = in.ratings().javaRDD()
          .mapPartitions(it -> {
            int c = 0;
            for (; it.hasNext(); it.next()) {
              c++;
            }
            return List.of(c).iterator();
          })
          .collect();
      assertThat(perSplit).hasSize(cores);
      assertThat(perSplit.stream().mapToInt(Integer::intValue).sum()).isEqualTo(lines);
      int share = lines / cores;
      assertThat(perSplit).allSatisfy(c -> assertThat(Math.abs(c - share)).isLessThan(share / 100));
      assertThat(in.report().goodRows()).isEqualTo(lines);
    }
  }

  @Test
  void ordAndLineNumbersDoNotDependOnSplits() throws IOException {
    StringBuilder sb = new StringBuilder("user,item,rating\n");
    for (int i = 0; i < 60; i++) {
      // line i + 2; the row on line 50 is bad
      sb.append(i == 48 ? "u48,i48,bad" : "u" + i + ",item-with-a-longer-name-" + i + "," + (i % 5 + 1)).append('\n');
    }
    Path f = write("big.csv", sb.toString());
    InputSpec spec = DEFAULTS.withBadRows(BadRowPolicy.SKIP, 0.1);
    List<Row> whole;
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), spec)) {
      assertThat(in.ratings().rdd().getNumPartitions()).isEqualTo(1);
      whole = in.ratings().orderBy("ord").collectAsList();
      assertThat(in.report().examples().get(0).line()).isEqualTo(50L);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    long size = Files.size(f);
    conf.setLong("mapreduce.input.fileinputformat.split.maxsize", size / 7 + 1);
    List<Row> split;
    List<Long> rejectLines = new ArrayList<>();
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), spec)) {
      assertThat(in.ratings().rdd().getNumPartitions()).isEqualTo(7);
      split = in.ratings().orderBy("ord").collectAsList();
      assertThat(in.report().examples().get(0).line()).isEqualTo(50L);
      Path rejects = dir.resolve("rejects");
      in.writeRejects(rejects.toString());
      spark.read().parquet(rejects.toString()).collectAsList().forEach(r -> rejectLines.add(r.getAs("line")));
    } finally {
      conf.unset("mapreduce.input.fileinputformat.split.maxsize");
    }
    assertThat(rejectLines).containsExactly(50L);
    assertThat(split).isEqualTo(whole);
    assertThat(whole).hasSize(59);
    // ord follows the position in the file: ordering by ord gives the users in line order
    List<String> users = whole.stream().map(r -> r.getString(0)).collect(Collectors.toList());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (i != 48) {
        expected.add("u" + i);
      }
    }
    assertThat(users).isEqualTo(expected);
    // the first data row starts right after the 17-byte header
    assertThat(whole.get(0).<Long>getAs("ord")).isEqualTo(17L);
  }
}
