package io.blockals.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_seconds;

import io.blockals.BlockalsException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Parquet inputs: the configured columns are selected by name (case-insensitively, as Spark resolves them) with
 * {@code _metadata.file_path} and {@code _metadata.row_index}, so that {@code ord} is the row's index in its
 * file. Ids may be integer or string columns, the rating any numeric column, the timestamp an integer, timestamp
 * (epoch seconds) or string column.
 */
final class ParquetSource {
  private ParquetSource() {}

  static JavaRDD<Row> parse(SparkSession spark, InputFiles in, InputSpec spec) {
    String[] paths = new String[in.files.size()];
    Map<String, Integer> fileIndex = new HashMap<>();
    for (int i = 0; i < paths.length; i++) {
      Path p = in.files.get(i).getPath();
      paths[i] = p.toString();
      fileIndex.put(InputFiles.key(p), i);
    }
    Dataset<Row> df = spark.read().parquet(paths);
    StructType schema = df.schema();
    StructField user = field(schema, spec.userCol(), in.path);
    StructField item = field(schema, spec.itemCol(), in.path);
    StructField rating = spec.hasRating() ? field(schema, spec.ratingCol(), in.path) : null;
    checkId(user, in.path);
    checkId(item, in.path);
    if (rating != null && !(rating.dataType() instanceof NumericType)) {
      throw typeError(rating, in.path, "a numeric type");
    }
    Column tsLong = lit(null).cast(DataTypes.LongType);
    Column tsText = lit(null).cast(DataTypes.StringType);
    boolean tsIsText = false;
    String tsLabel = null;
    if (spec.hasTimestamp()) {
      StructField ts = field(schema, spec.timestampCol(), in.path);
      tsLabel = ts.name();
      DataType t = ts.dataType();
      if (isIntegral(t)) {
        tsLong = quoted(ts).cast(DataTypes.LongType);
      } else if (t instanceof TimestampType) {
        tsLong = unix_seconds(quoted(ts));
      } else if (t instanceof StringType) {
        tsText = quoted(ts);
        tsIsText = true;
      } else {
        throw typeError(ts, in.path, "an integer, timestamp or string type");
      }
    }
    Dataset<Row> selected = df.select(
        quoted(user).cast(DataTypes.StringType),
        quoted(item).cast(DataTypes.StringType),
        rating != null ? quoted(rating).cast(DataTypes.DoubleType) : lit(0.0),
        tsLong, tsText,
        col("_metadata.file_path"),
        col("_metadata.row_index"));
    String[] labels = {user.name(), item.name(), rating != null ? rating.name() : "rating", tsLabel};
    JavaRDD<Row> rows = selected.javaRDD().mapPartitions(new Checker(fileIndex, labels, spec.hasTimestamp(),
        tsIsText, spec.minRating(), spec.maxRating()));
    return rows;
  }

  private static StructField field(StructType schema, String name, String path) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    for (StructField f : schema.fields()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    List<String> found = new ArrayList<>();
    for (StructField f : schema.fields()) {
      found.add(f.name());
    }
    throw BlockalsException.inputRejected("column '" + name + "' not found in Parquet input " + path + ": found "
        + found + " (columns are set with user_col, item_col, rating_col, timestamp_col)");
  }

  private static void checkId(StructField f, String path) {
    if (!isIntegral(f.dataType()) && !(f.dataType() instanceof StringType)) {
      throw typeError(f, path, "an integer or string type");
    }
  }

  private static boolean isIntegral(DataType t) {
    return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
  }

  private static BlockalsException typeError(StructField f, String path, String expected) {
    return BlockalsException.inputRejected("column '" + f.name() + "' of Parquet input " + path + " has type "
        + f.dataType().simpleString() + "; expected " + expected);
  }

  private static Column quoted(StructField f) {
    return col("`" + f.name().replace("`", "``") + "`");
  }

  /** Runs in the tasks: checks the selected values of each row and builds {@link ParsedRows}. */
  static final class Checker implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> fileIndex;
    private final String[] labels;
    private final boolean hasTs;
    private final boolean tsIsText;
    private final double minRating;
    private final double maxRating;

    Checker(Map<String, Integer> fileIndex, String[] labels, boolean hasTs, boolean tsIsText, double minRating,
        double maxRating) {
      this.fileIndex = Map.copyOf(fileIndex);
      this.labels = labels.clone();
      this.hasTs = hasTs;
      this.tsIsText = tsIsText;
      this.minRating = minRating;
      this.maxRating = maxRating;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          String user = r.isNullAt(0) ? null : r.getString(0);
          String item = r.isNullAt(1) ? null : r.getString(1);
          Double rating = r.isNullAt(2) ? null : r.getDouble(2);
          Long tsLong = r.isNullAt(3) ? null : r.getLong(3);
          String tsText = r.isNullAt(4) ? null : r.getString(4);
          long ord = Ords.of(fileOf(r.getString(5)), r.getLong(6));
          RowRules.Verdict v = RowRules.checkTyped(user, item, rating, hasTs, tsIsText, tsLong, tsText, labels,
              minRating, maxRating);
          String raw = v.isGood() ? null : labels[0] + "=" + user + ", " + labels[1] + "=" + item + ", "
              + labels[2] + "=" + rating + (hasTs ? ", " + labels[3] + "=" + (tsIsText ? tsText : tsLong) : "");
          return ParsedRows.of(v, ord, null, null, raw);
        }
      };
    }

    private int fileOf(String filePath) {
      Path p;
      try {
        p = new Path(URI.create(filePath));
      } catch (IllegalArgumentException notAUri) {
        p = new Path(filePath);
      }
      Integer i = fileIndex.get(InputFiles.key(p));
      if (i == null) {
        throw new IllegalStateException("row of an unlisted file: " + filePath);
      }
      return i;
    }
  }
}
