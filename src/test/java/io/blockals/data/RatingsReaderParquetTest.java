package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet inputs, the rejects written for quarantine and the report that goes into model.json. */
class RatingsReaderParquetTest extends SparkTestBase {
  private static final InputSpec DEFAULTS = InputSpec.defaults();

  @TempDir
  Path dir;

  /** Writes rows as one Parquet file (Spark's part file) and returns the path of that file. */
  private Path parquetFile(String name, StructType schema, List<Row> rows) throws IOException {
    Path out = dir.resolve("spark-" + name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out.toString());
    try (Stream<Path> files = Files.list(out)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      return Files.copy(part, target);
    }
  }

  private static StructType schema(Object... nameTypePairs) {
    StructType s = new StructType();
    for (int i = 0; i < nameTypePairs.length; i += 2) {
      s = s.add((String) nameTypePairs[i], (DataType) nameTypePairs[i + 1], true);
    }
    return s;
  }

  private static BlockalsException rejected(String path, InputSpec spec) {
    return Rejections.rejected(spark, path, spec);
  }

  private static List<String> goodRows(RatingsInput in) {
    return in.ratings().orderBy("ord").collectAsList().stream()
        .map(r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getDouble(2) + "|"
            + (r.isNullAt(3) ? null : r.getLong(3)) + "|" + r.getLong(4))
        .collect(Collectors.toList());
  }

  @Test
  void integerIdsBecomeStringsAndOrdIsFileAndRowIndex() throws IOException {
    StructType s = schema("user", DataTypes.IntegerType, "item", DataTypes.LongType, "rating", DataTypes.FloatType);
    parquetFile("d/a.parquet", s, List.of(RowFactory.create(1, 10L, 4.0f), RowFactory.create(2, 20L, 3.5f)));
    parquetFile("d/b.parquet", s, List.of(RowFactory.create(3, 10L, 1.0f)));
    String d = dir.resolve("d").toString();
    try (RatingsInput in = RatingsReader.read(spark, d, DEFAULTS)) {
      assertThat(in.ratings().schema()).isEqualTo(RatingsInput.RATINGS_SCHEMA);
      long fileB = 1L << 40;
      assertThat(goodRows(in)).containsExactly("1|10|4.0|null|0", "2|20|3.5|null|1", "3|10|1.0|null|" + fileB);
      assertThat(in.report().format()).isEqualTo("parquet");
      // no bad rows: the rejects are an empty but readable Parquet dataset
      String rejects = dir.resolve("rejects").toString();
      in.writeRejects(rejects);
      assertThat(spark.read().parquet(rejects).count()).isZero();
    }
  }

  @Test
  void stringIdsAndTimestampColumn() throws IOException {
    StructType s = schema("uid", DataTypes.StringType, "iid", DataTypes.StringType, "stars", DataTypes.IntegerType,
        "when", DataTypes.TimestampType);
    Path f = parquetFile("r.parquet", s, List.of(
        RowFactory.create(" alice ", "film-1", 5, Timestamp.from(Instant.ofEpochSecond(978300760))),
        RowFactory.create("bob", "film-2", 2, Timestamp.from(Instant.ofEpochSecond(978300761)))));
    InputSpec spec = DEFAULTS.withColumns("uid", "iid", "stars").withTimestampCol("when");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), spec)) {
      assertThat(goodRows(in)).containsExactly("alice|film-1|5.0|978300760|0", "bob|film-2|2.0|978300761|1");
    }
  }

  @Test
  void nullRatingAndNullIdAreBadRowsWithTheirRowIndex() throws IOException {
    StructType s = schema("user", DataTypes.StringType, "item", DataTypes.IntegerType, "rating", DataTypes.DoubleType);
    Path f = parquetFile("r.parquet", s, List.of(RowFactory.create("u1", 1, 4.0), RowFactory.create("u2", 1, 3.0),
        RowFactory.create("u3", 2, null), RowFactory.create(null, 2, 1.0), RowFactory.create("u5", 2, 2.0)));
    assertThat(rejected(f.toString(), DEFAULTS).getMessage()).startsWith(f + ": row 2 (0-based): column 'rating' "
        + "is null (2 bad rows of 5;");
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS.withBadRows(BadRowPolicy.SKIP, 0.4))) {
      assertThat(goodRows(in)).containsExactly("u1|1|4.0|null|0", "u2|1|3.0|null|1", "u5|2|2.0|null|4");
      assertThat(in.report().badRowsByReason()).containsExactly(Map.entry("empty_id", 1L),
          Map.entry("missing_field", 1L));
      assertThat(in.report().examples()).extracting(InputReport.BadRow::rowIndex).containsExactly(2L, 3L);
      String rejects = dir.resolve("rejects").toString();
      in.writeRejects(rejects);
      List<Row> back = spark.read().parquet(rejects).orderBy("row_index").collectAsList();
      assertThat(back).extracting(r -> r.getAs("row_index"), r -> r.getAs("column"), r -> r.getAs("reason"),
          r -> r.getAs("line")).containsExactly(
              tuple(2L, "rating", "missing_field", null),
              tuple(3L, "user", "empty_id", null));
    }
  }

  @Test
  void unsupportedIdTypeIsRejected() throws IOException {
    StructType s = schema("user", DataTypes.DoubleType, "item", DataTypes.IntegerType, "rating", DataTypes.DoubleType);
    Path f = parquetFile("r.parquet", s, List.<Row>of(RowFactory.create(1.5, 1, 4.0)));
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .isEqualTo("column 'user' of Parquet input " + f + " has type double; expected an integer or string type");
  }

  @Test
  void missingParquetColumnIsRejected() throws IOException {
    StructType s = schema("user", DataTypes.StringType, "item", DataTypes.StringType, "score", DataTypes.DoubleType);
    Path f = parquetFile("r.parquet", s, List.<Row>of(RowFactory.create("u", "i", 4.0)));
    assertThat(rejected(f.toString(), DEFAULTS).getMessage())
        .startsWith("column 'rating' not found in Parquet input " + f + ": found [user, item, score]");
  }

  @Test
  void quarantinedRowsAreWrittenWithLineAndRawText() throws IOException {
    Path f = dir.resolve("r.csv");
    String csv = "user,item,rating\nu1,i1,4\nu2,i1,abc\n\nu3,i1,NaN\nu4,i2,2\n";
    Files.write(f, csv.getBytes(StandardCharsets.UTF_8));
    InputSpec spec = DEFAULTS.withBadRows(BadRowPolicy.QUARANTINE, 0.5);
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), spec)) {
      String rejects = dir.resolve("model/rejects").toString();
      in.writeRejects(rejects);
      List<Row> back = spark.read().parquet(rejects).orderBy("line").collectAsList();
      // byte offsets: header 17 bytes, "u1,i1,4\n" 8, so "u2,i1,abc" starts at 25; then 10 + 1 (blank line)
      assertThat(back).extracting(r -> r.getAs("file"), r -> r.getAs("line"), r -> r.getAs("byte_offset"),
          r -> r.getAs("column"), r -> r.getAs("value"), r -> r.getAs("reason"), r -> r.getAs("raw"))
          .containsExactly(
              tuple(f.toString(), 3L, 25L, "rating", "abc", "not_a_number", "u2,i1,abc"),
              tuple(f.toString(), 5L, 36L, "rating", "NaN", "not_finite", "u3,i1,NaN"));
      assertThat(back.get(0).<String>getAs("problem")).isEqualTo("is not a number");

      Map<String, Object> m = in.report().toMap();
      assertThat(m).containsEntry("rows_read", 4L).containsEntry("good_rows", 2L).containsEntry("bad_rows", 2L)
          .containsEntry("format", "csv").containsEntry("bad_row_policy", "quarantine")
          .containsEntry("bad_rows_by_reason", Map.of("not_a_number", 1L, "not_finite", 1L));
      assertThat(m.get("files")).isEqualTo(List.of(Map.of("path", f.toString(), "size", (long) csv.length(),
          "modification_time", Files.getLastModifiedTime(f).toMillis())));
      assertThat((List<?>) m.get("bad_row_examples")).hasSize(2).first().isEqualTo(Map.of("file", f.toString(),
          "line", 3L, "byte_offset", 25L, "column", "rating", "value", "abc", "reason", "not_a_number",
          "problem", "is not a number"));
    }
  }

  @Test
  void examplesAreCappedAtTwentyInFileOrder() throws IOException {
    StringBuilder sb = new StringBuilder("user,item,rating\n");
    for (int i = 0; i < 30; i++) {
      sb.append("u").append(i).append(",i,").append(i % 3 == 0 ? "4" : "x").append('\n');
    }
    Path f = dir.resolve("many.csv");
    Files.write(f, sb.toString().getBytes(StandardCharsets.UTF_8));
    try (RatingsInput in = RatingsReader.read(spark, f.toString(), DEFAULTS.withBadRows(BadRowPolicy.SKIP, 1.0))) {
      assertThat(in.report().badRows()).isEqualTo(20);
      assertThat(in.report().goodRows()).isEqualTo(10);
      // the bad rows are i = 1, 2, 4, 5, ... on line i + 2
      assertThat(in.report().examples()).hasSize(20).first()
          .satisfies(b -> assertThat(b.line()).isEqualTo(3L));
      assertThat(in.report().examples().get(19).line()).isEqualTo(31L);
      assertThat(Pattern.matches("read .*many.csv \\(csv, 1 file\\): 30 rows, 10 good, 20 bad .*",
          in.report().summary())).isTrue();
    }
  }
}
