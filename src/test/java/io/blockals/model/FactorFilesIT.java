package io.blockals.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.SparkTestBase;
import io.blockals.engine.AlsParams;
import io.blockals.engine.AlsResult;
import io.blockals.engine.BlockAls;
import io.blockals.engine.DuplicatePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The factor tables written block by block through Parquet's writer hold what Spark's own Parquet write of the same
 * model holds, with the same Parquet schema, and read back the same in Spark and in DuckDB.
 */
class FactorFilesIT extends SparkTestBase {
  private static final StructType INPUT = new StructType()
      .add("user", DataTypes.StringType, false)
      .add("item", DataTypes.StringType, false)
      .add("rating", DataTypes.DoubleType, false)
      .add("ts", DataTypes.LongType, true)
      .add("ord", DataTypes.LongType, false);

  private static AlsResult train(String userPrefix, int users, int items, int blocks) {
    List<Row> rows = new ArrayList<>();
    long ord = 0;
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        if ((u * 7 + i * 3) % 4 != 0) {
          rows.add(RowFactory.create(userPrefix + u, "i" + i, 1.0 + (u * i) % 5, null, ord++));
        }
      }
    }
    Dataset<Row> ratings = spark.createDataFrame(rows, INPUT).repartition(2);
    AlsParams p = new AlsParams(3, 4, 0.1, false, 1.0, true, false, "cholesky", blocks, blocks, 42L, 10,
        DuplicatePolicy.LATEST);
    return BlockAls.fit(ratings, p, null);
  }

  /** Column names and types; nullability left out, as Spark reads every Parquet column as nullable. */
  private static List<String> columns(StructType schema) {
    List<String> out = new ArrayList<>();
    for (var f : schema.fields()) {
      String type = f.dataType() instanceof org.apache.spark.sql.types.ArrayType a
          ? "array<" + a.elementType().simpleString() + ">" : f.dataType().simpleString();
      out.add(f.name() + " " + type);
    }
    return out;
  }

  private static MessageType footerSchema(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Path first = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().findFirst()
          .orElseThrow();
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(first.toUri()), new Configuration()))) {
        return reader.getFooter().getFileMetaData().getSchema();
      }
    }
  }

  private static Map<String, String> duckDb(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT CAST(id AS VARCHAR), bias, features FROM read_parquet('" + dir + "/*.parquet')")) {
      while (rs.next()) {
        Array arr = rs.getArray(3);
        StringBuilder sb = new StringBuilder().append(rs.getFloat(2));
        for (Object f : (Object[]) arr.getArray()) {
          sb.append(' ').append(((Number) f).floatValue());
        }
        assertThat(out.put(rs.getString(1), sb.toString())).as("id %s once", rs.getString(1)).isNull();
      }
    }
    return out;
  }

  private void assertSameTables(AlsResult r, boolean longUserIds) throws Exception {
    Path ours = Files.createTempDirectory(sparkTmp, "ours");
    Path theirs = Files.createTempDirectory(sparkTmp, "theirs");
    Files.delete(ours);
    Files.delete(theirs);
    org.apache.hadoop.fs.Path oursStaging = new org.apache.hadoop.fs.Path(ours.toUri());
    ModelFormat.writeFactors(oursStaging, r, spark.sparkContext().hadoopConfiguration());
    ModelFormat.writeFactors(new org.apache.hadoop.fs.Path(theirs.toUri()), ModelFormat.userFactors(spark, r),
        ModelFormat.itemFactors(spark, r));
    for (String table : List.of(ModelFormat.USER_FACTORS, ModelFormat.ITEM_FACTORS)) {
      MessageType ourSchema = footerSchema(ours.resolve(table));
      assertThat(ourSchema).as(table + " Parquet schema").isEqualTo(footerSchema(theirs.resolve(table)));
      Dataset<Row> a = spark.read().parquet(ours.resolve(table).toString());
      Dataset<Row> b = spark.read().parquet(theirs.resolve(table).toString());
      assertThat(a.schema()).as(table + " Spark schema").isEqualTo(b.schema());
      assertThat(a.count()).as(table + " rows").isEqualTo(b.count()).isPositive();
      assertThat(a.except(b).count()).as(table + " rows only in ours").isZero();
      assertThat(b.except(a).count()).as(table + " rows only in Spark's").isZero();
      assertThat(duckDb(ours.resolve(table))).as(table + " in DuckDB").isEqualTo(duckDb(theirs.resolve(table)));
      try (Stream<Path> names = Files.list(ours.resolve(table))) {
        assertThat(names.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".crc")))
            .as(table + " files: one per block, no temporary file left")
            .containsExactlyInAnyOrder(FactorFiles.fileName(0), FactorFiles.fileName(1));
      }
    }
    assertThat(columns(spark.read().parquet(ours.resolve(ModelFormat.USER_FACTORS).toString()).schema()))
        .isEqualTo(columns(ModelFormat.factorSchema(longUserIds)));
    assertThatThrownBy(() -> ModelFormat.writeFactors(oursStaging, r, spark.sparkContext().hadoopConfiguration()))
        .isInstanceOf(IOException.class).hasMessageContaining("already exists");
  }

  @Test
  void stringIdsMatchSparksWrite() throws Exception {
    AlsResult r = train("u", 12, 9, 2);
    assertThat(r.userIdsLong()).isFalse();
    assertSameTables(r, false);
  }

  @Test
  void longIdsMatchSparksWrite() throws Exception {
    AlsResult r = train("", 12, 9, 2);
    assertThat(r.userIdsLong()).isTrue();
    assertSameTables(r, true);
  }

  @Test
  void anEmptyBlockGetsAFileWithTheSchemaAndNoRows() throws Exception {
    // Two users over eight blocks: most user blocks hold nobody.
    AlsResult r = train("u", 2, 6, 8);
    Path out = Files.createTempDirectory(sparkTmp, "sparse");
    Files.delete(out);
    ModelFormat.writeFactors(new org.apache.hadoop.fs.Path(out.toUri()), r,
        spark.sparkContext().hadoopConfiguration());
    Path users = out.resolve(ModelFormat.USER_FACTORS);
    try (Stream<Path> names = Files.list(users)) {
      assertThat(names.filter(f -> f.getFileName().toString().endsWith(".parquet")).count()).isEqualTo(8);
    }
    Dataset<Row> read = spark.read().parquet(users.toString());
    assertThat(columns(read.schema())).isEqualTo(columns(ModelFormat.factorSchema(false)));
    assertThat(read.count()).isEqualTo(2);
    assertThat(duckDb(users)).containsOnlyKeys("u0", "u1");
  }
}
