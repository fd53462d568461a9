package io.blockals.model;

import io.blockals.engine.AlsResult;
import io.blockals.engine.FactorRows;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.TaskContext;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Writes a trained model's factor tables from the executors that hold the blocks: one Parquet file per block
 * ({@code part-NNNNN.snappy.parquet}, NNNNN the block), through Parquet's own writer, in one Spark job for both
 * sides. No rows are converted to Spark SQL rows and nothing is shuffled.
 *
 * <p>The files carry the schema Spark itself writes for {@link ModelFormat#factorSchema} (required columns, the
 * features a three-level LIST of required floats) and Spark's schema in the footer, so Spark, DuckDB and any Parquet
 * reader see the same table as from a Spark write. A task writes under a hidden name and renames it into place when
 * done, so a retried or speculative attempt never leaves half a file behind a visible name; the driver removes what
 * failed attempts left. The table folders live in the model's staging folder, published with the rest.
 */
final class FactorFiles {
  /** Footer key under which Spark keeps a file's Spark SQL schema. */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  private static final String TEMP_PREFIX = ".part-";

  private FactorFiles() {}

  /** What one block's task wrote. */
  record Written(boolean users, long rows) implements Serializable {}

  /**
   * Writes {@code staging/user_factors} and {@code staging/item_factors}.
   *
   * @throws IOException when a table folder cannot be made or cleaned, or the rows written are not the model's
   */
  static void write(Path staging, AlsResult r, Configuration conf) throws IOException {
    Path users = new Path(staging, ModelFormat.USER_FACTORS);
    Path items = new Path(staging, ModelFormat.ITEM_FACTORS);
    FileSystem fs = staging.getFileSystem(conf);
    for (Path dir : List.of(users, items)) {
      if (fs.exists(dir)) {
        throw new IOException("factor table folder already exists: " + dir);
      }
      fs.mkdirs(dir);
    }
    SerializableConfiguration shipped = new SerializableConfiguration(conf);
    String userDir = users.toString();
    String itemDir = items.toString();
    boolean userLong = r.userIdsLong();
    boolean itemLong = r.itemIdsLong();
    List<Written> written = r.visitBlocks((isUsers, rows) -> writeBlock(
        new Path(isUsers ? userDir : itemDir), rows, isUsers ? userLong : itemLong, isUsers, shipped.value()));
    long userRows = 0;
    long itemRows = 0;
    for (Written w : written) {
      if (w.users()) {
        userRows += w.rows();
      } else {
        itemRows += w.rows();
      }
    }
    if (userRows != r.numUsers() || itemRows != r.numItems()) {
      throw new IOException("factor tables hold " + userRows + " users and " + itemRows + " items, the model "
          + r.numUsers() + " and " + r.numItems());
    }
    for (Path dir : List.of(users, items)) {
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.getPath().getName().startsWith(TEMP_PREFIX)) {
          fs.delete(st.getPath(), false);
        }
      }
    }
  }

  /** The file name of block {@code block}'s rows. */
  static String fileName(int block) {
    return String.format("part-%05d.snappy.parquet", block);
  }

  private static Written writeBlock(Path dir, FactorRows rows, boolean longIds, boolean users, Configuration conf)
      throws IOException {
    Path target = new Path(dir, fileName(rows.block()));
    TaskContext task = TaskContext.get();
    long attempt = task == null ? 0 : task.taskAttemptId();
    Path temp = new Path(dir, TEMP_PREFIX + rows.block() + "-" + attempt + ".tmp");
    FileSystem fs = dir.getFileSystem(conf);
    try (ParquetWriter<Integer> writer = new Builder(HadoopOutputFile.fromPath(temp, conf), rows, longIds)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        // Ids are distinct and features are noise-like: a dictionary would only be built to be dropped.
        .withDictionaryEncoding(false)
        .build()) {
      for (int r = 0; r < rows.rows(); r++) {
        writer.write(r);
      }
    }
    if (!fs.rename(temp, target)) {
      // Another attempt of the same block got there first; its file holds the same rows.
      if (!fs.exists(target)) {
        throw new IOException("could not move " + temp + " to " + target);
      }
      fs.delete(temp, false);
    }
    return new Written(users, rows.rows());
  }

  /** The Parquet schema of a factor table, as Spark writes {@link ModelFormat#factorSchema}. */
  static MessageType parquetSchema(boolean longIds) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    if (longIds) {
      b.required(PrimitiveTypeName.INT64).named("id");
    } else {
      b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id");
    }
    return b.required(PrimitiveTypeName.FLOAT).named("bias")
        .requiredList().requiredElement(PrimitiveTypeName.FLOAT).named("features")
        .named("spark_schema");
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final FactorRows rows;
    private final boolean longIds;

    Builder(HadoopOutputFile file, FactorRows rows, boolean longIds) {
      super(file);
      this.rows = rows;
      this.longIds = longIds;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new RowWriter(rows, longIds);
    }
  }

  /** Writes row {@code r} of a block: id, bias, features. */
  private static final class RowWriter extends WriteSupport<Integer> {
    private final FactorRows rows;
    private final boolean longIds;
    private RecordConsumer out;

    RowWriter(FactorRows rows, boolean longIds) {
      this.rows = rows;
      this.longIds = longIds;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      Map<String, String> meta = new HashMap<>();
      meta.put(SPARK_SCHEMA_KEY, ModelFormat.factorSchema(longIds).json());
      return new WriteContext(parquetSchema(longIds), meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(Integer row) {
      int r = row;
      out.startMessage();
      out.startField("id", 0);
      if (longIds) {
        out.addLong(Long.parseLong(rows.id(r)));
      } else {
        out.addBinary(Binary.fromString(rows.id(r)));
      }
      out.endField("id", 0);
      out.startField("bias", 1);
      out.addFloat(rows.bias(r));
      out.endField("bias", 1);
      out.startField("features", 2);
      out.startGroup();
      int rank = rows.rank();
      if (rank > 0) {
        out.startField("list", 0);
        for (int k = 0; k < rank; k++) {
          out.startGroup();
          out.startField("element", 0);
          out.addFloat(rows.feature(r, k));
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
      out.endField("features", 2);
      out.endMessage();
    }
  }
}
