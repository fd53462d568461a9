package io.blockals.data;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Lists of ids (the users to recommend for, the items to find neighbours of), read with the same files, formats,
 * quoting and trimming as ratings, so that an id names the same user or item in both. A text file is either one id
 * per line (its first line is then data, unless it is the column's name alone) or a delimited table with a header
 * holding the column; Parquet needs the column.
 */
final class IdReader {
  static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType, false);

  private IdReader() {}

  static Dataset<Row> read(SparkSession spark, String path, InputSpec spec, String column) {
    InputFiles in = InputFiles.list(spark.sparkContext().hadoopConfiguration(), path);
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (int i = 0; i < in.files.size(); i++) {
      String name = in.displayNames.get(i);
      String file = in.files.get(i).getPath().toString();
      String kind = spec.format().equals("parquet") ? InputFiles.PARQUET : InputFiles.kindOf(name);
      if (InputFiles.PARQUET.equals(kind)) {
        parts.add(parquet(spark, file, name, column));
      } else {
        parts.add(text(spark, in, i, file, name, kind, spec, column));
      }
    }
    JavaRDD<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.union(parts.get(i));
    }
    Dataset<Row> ids = spark.createDataFrame(all, SCHEMA).distinct();
    if (ids.isEmpty()) {
      throw BlockalsException.inputRejected("no ids in " + path + ": the files hold no data rows");
    }
    return ids;
  }

  private static JavaRDD<Row> parquet(SparkSession spark, String file, String name, String column) {
    Dataset<Row> df = spark.read().parquet(file);
    String found = null;
    for (String c : df.columns()) {
      if (c.equals(column) || (found == null && c.equalsIgnoreCase(column))) {
        found = c;
      }
    }
    if (found == null) {
      throw BlockalsException.inputRejected("column '" + column + "' not found in " + name + ": found "
          + List.of(df.columns()));
    }
    return df.selectExpr("trim(cast(`" + found + "` as string)) as id").where("id is not null and id <> ''")
        .javaRDD();
  }

  private static JavaRDD<Row> text(SparkSession spark, InputFiles in, int index, String file, String name,
      String kind, InputSpec spec, String column) {
    String delimiter = spec.resolvedDelimiter();
    boolean quoting = InputFiles.CSV.equals(kind) || kind == null;
    if (delimiter.isEmpty()) {
      delimiter = InputFiles.TSV.equals(kind) || InputFiles.MOVIELENS_DATA.equals(kind) ? "\t"
          : InputFiles.MOVIELENS_DAT.equals(kind) ? "::" : ",";
    }
    String first = in.firstLine(index);
    if (first == null) {
      return spark.emptyDataFrame().javaRDD();
    }
    List<String> header = fields(first, delimiter, quoting, name, 1);
    int position = -1;
    for (int i = 0; i < header.size(); i++) {
      String h = InputFiles.stripBom(header.get(i)).trim();
      if (h.equals(column) || (position < 0 && h.toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT)))) {
        position = i;
      }
    }
    boolean hasHeader = position >= 0;
    if (!hasHeader && header.size() > 1) {
      throw BlockalsException.inputRejected("column '" + column + "' not found in the header of " + name
          + ": found " + header + " (give one id per line, or a header naming the column)");
    }
    int at = Math.max(position, 0);
    String d = delimiter;
    FlatMapFunction<java.util.Iterator<String>, Row> parse = lines -> {
      List<Row> out = new ArrayList<>();
      boolean firstLine = true;
      while (lines.hasNext()) {
        String line = lines.next();
        if (firstLine && hasHeader && line.equals(first)) {
          firstLine = false;
          continue;
        }
        firstLine = false;
        if (line.isBlank()) {
          continue;
        }
        List<String> f = fields(line, d, quoting, name, -1);
        if (f.size() <= at) {
          throw BlockalsException.inputRejected(name + ": line '" + line + "' has no field " + (at + 1));
        }
        String id = InputFiles.stripBom(f.get(at)).trim();
        if (!id.isEmpty()) {
          out.add(RowFactory.create(id));
        }
      }
      return out.iterator();
    };
    return spark.read().textFile(file).javaRDD().mapPartitions(parse);
  }

  private static List<String> fields(String line, String delimiter, boolean quoting, String name, int lineNo) {
    LineSplitter.Split s = LineSplitter.split(line, delimiter, quoting);
    if (!s.ok()) {
      throw BlockalsException.inputRejected(name + (lineNo > 0 ? ":" + lineNo : "") + ": " + s.error() + ": '"
          + line + "'");
    }
    return s.fields();
  }
}
