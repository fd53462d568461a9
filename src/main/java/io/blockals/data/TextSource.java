package io.blockals.data;

import io.blockals.BlockalsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.util.StringUtils;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Text inputs (csv, tsv, MovieLens): the per-file layout is fixed on the driver from the spec and each file's
 * first line; the lines are read with Hadoop's TextInputFormat, whose key is the byte offset of the line, and
 * parsed by {@link TextParser}.
 */
final class TextSource {
  private static final Pattern POSITION = Pattern.compile("\\d{1,6}");
  private static final String[] ROLES = {"user", "item", "rating", "timestamp"};

  private TextSource() {}

  /**
   * The lines of a text input, read once by whichever reader is asked for: the parsed table's rows, or the engine's
   * audited training rows.
   */
  record Lines(JavaNewHadoopRDD<LongWritable, Text> records, TextParser parser, String path) {
    /** Every line as a {@link ParsedRows} row, and a marker row per split. */
    JavaRDD<Row> parsedRows() {
      JavaRDD<Row> rows = records.mapPartitionsWithInputSplit(parser, true);
      rows.setName("blockals parsed lines of " + path);
      return rows;
    }

    /** The good lines as training rows, the figures of every split going to {@code acc}; see {@link TextTrainingRows}. */
    JavaRDD<InternalRow> trainingRows(ScanAccumulator acc, RatingsInput.PairFilter keep) {
      JavaRDD<InternalRow> rows = records.mapPartitionsWithInputSplit(new TextTrainingRows(parser, acc, keep), true);
      rows.setName("blockals training rows of " + path);
      return rows;
    }
  }

  static Lines open(SparkSession spark, InputFiles in, InputSpec spec, List<String> kinds) {
    int n = in.files.size();
    TextLayout[] layouts = new TextLayout[n];
    Map<String, Integer> fileIndex = new HashMap<>();
    StringJoiner inputDirs = new StringJoiner(",");
    for (int i = 0; i < n; i++) {
      layouts[i] = layoutFor(kinds.get(i), spec, in.firstLine(i), in.displayNames.get(i));
      fileIndex.put(InputFiles.key(in.files.get(i).getPath()), i);
      // escaped because FileInputFormat splits its input list at commas
      inputDirs.add(StringUtils.escapeString(in.files.get(i).getPath().toString()));
    }
    // A copy, so that settings such as the split size come from the session but the input list stays ours.
    Configuration jobConf = new Configuration(spark.sparkContext().hadoopConfiguration());
    jobConf.set(FileInputFormat.INPUT_DIR, inputDirs.toString());
    // Split sizes set in the session's Hadoop settings are kept (Hadoop's defaults file sets the minimum to 0).
    if (jobConf.get(FileInputFormat.SPLIT_MAXSIZE) == null && jobConf.getLong(FileInputFormat.SPLIT_MINSIZE, 0) <= 1) {
      long[] lengths = new long[n];
      long[] blockSizes = new long[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = in.files.get(i).getLen();
        blockSizes[i] = in.files.get(i).getBlockSize();
      }
      long size = balancedSplitSize(lengths, blockSizes, spark.sparkContext().defaultParallelism());
      if (size > 0) {
        jobConf.setLong(FileInputFormat.SPLIT_MAXSIZE, size);
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaPairRDD<LongWritable, Text> lines =
        jsc.newAPIHadoopRDD(jobConf, TextInputFormat.class, LongWritable.class, Text.class);
    return new Lines((JavaNewHadoopRDD<LongWritable, Text>) lines,
        new TextParser(fileIndex, layouts, spec.minRating(), spec.maxRating()), in.path);
  }

  /** Inputs that Hadoop reads in at least this many waves of splits are split as Hadoop splits them. */
  static final int BALANCED_MAX_WAVES = 4;
  /** Inputs that balanced splits would cut finer than this are split as Hadoop splits them (a task costs too). */
  static final long BALANCED_MIN_SPLIT = 2L << 20;

  /**
   * The largest split size that reads the input in as many waves of tasks as Hadoop's block-sized splits would, with
   * every core given an equal share in each wave, or 0 to keep Hadoop's splits. Block-sized splits leave a short last
   * split (a 109 MB file in 32 MB blocks is read as 32 + 32 + 32 + 13 MB), and on few cores the stage then waits for
   * one core while the other is idle. Past {@link #BALANCED_MAX_WAVES} waves the short split hardly matters and
   * block-sized splits keep their data locality, so those are kept; so are splits that would be smaller than
   * {@link #BALANCED_MIN_SPLIT}.
   */
  static long balancedSplitSize(long[] lengths, long[] blockSizes, int parallelism) {
    long total = 0;
    long splits = 0;
    for (int i = 0; i < lengths.length; i++) {
      total += lengths[i];
      long block = Math.max(1, blockSizes[i]);
      splits += Math.max(1, (lengths[i] + block - 1) / block);
    }
    if (total == 0 || parallelism < 1) {
      return 0;
    }
    long waves = (splits + parallelism - 1) / parallelism;
    if (waves >= BALANCED_MAX_WAVES) {
      return 0;
    }
    long pieces = waves * parallelism;
    long size = (total + pieces - 1) / pieces;
    return size < BALANCED_MIN_SPLIT ? 0 : size;
  }

  /**
   * The layout of one text file of the given kind. {@code firstLine} is the file's first line ({@code null}
   * for an empty file): the header, or for headerless files the line that fixes the expected field count.
   */
  static TextLayout layoutFor(String kind, InputSpec spec, String firstLine, String fileName) {
    String delimiter = spec.resolvedDelimiter();
    boolean quoting = false;
    boolean header = spec.header();
    switch (kind) {
      case InputFiles.CSV -> {
        delimiter = delimiter.isEmpty() ? "," : delimiter;
        quoting = true;
      }
      case InputFiles.TSV -> delimiter = delimiter.isEmpty() ? "\t" : delimiter;
      case InputFiles.MOVIELENS_DAT, InputFiles.MOVIELENS_DATA -> {
        String own = kind.equals(InputFiles.MOVIELENS_DAT) ? "::" : "\t";
        return new TextLayout(delimiter.isEmpty() ? own : delimiter, false, false, new int[] {0, 1, 2, 3},
            ROLES, 4);
      }
      default -> throw new IllegalArgumentException("not a text kind: " + kind);
    }
    return header ? headerLayout(spec, delimiter, quoting, firstLine, fileName)
        : positionalLayout(spec, delimiter, quoting, firstLine);
  }

  private static TextLayout headerLayout(InputSpec spec, String delimiter, boolean quoting, String headerLine,
      String fileName) {
    List<String> wanted = wantedColumns(spec);
    if (headerLine == null) {
      // an empty file has no rows; any layout will do
      return new TextLayout(delimiter, quoting, true, defaultPositions(spec), ROLES, wanted.size());
    }
    LineSplitter.Split split = LineSplitter.split(headerLine, delimiter, quoting);
    if (!split.ok()) {
      throw BlockalsException.inputRejected("cannot read the header of " + fileName + ": " + split.error());
    }
    List<String> names = trimmed(split.fields());
    int[] positions = {-1, -1, -1, -1};
    String[] labels = ROLES.clone();
    for (int role = 0; role < wanted.size(); role++) {
      if (wanted.get(role) == null) {
        continue;
      }
      int at = find(names, wanted.get(role));
      if (at < 0) {
        String hint = LineSplitter.hint(LineSplitter.suggestDelimiter(headerLine, delimiter, quoting,
            f -> wanted.stream().allMatch(w -> w == null || find(trimmed(f), w) >= 0)));
        throw BlockalsException.inputRejected("column '" + wanted.get(role) + "' not found in header of "
            + fileName + ": found " + names + hint + " (columns are set with user_col, item_col, rating_col, "
            + "timestamp_col)");
      }
      positions[role] = at;
      labels[role] = names.get(at);
    }
    checkDistinct(positions, wanted);
    return new TextLayout(delimiter, quoting, true, positions, labels, names.size());
  }

  private static TextLayout positionalLayout(InputSpec spec, String delimiter, boolean quoting,
      String firstLine) {
    List<String> wanted = wantedColumns(spec);
    int[] positions = {-1, -1, -1, -1};
    String[] keys = {"user_col", "item_col", "rating_col", "timestamp_col"};
    for (int role = 0; role < wanted.size(); role++) {
      String v = wanted.get(role);
      if (v == null) {
        continue;
      }
      if (POSITION.matcher(v).matches()) {
        positions[role] = Integer.parseInt(v);
      } else if (v.equals(ROLES[role])) {
        positions[role] = role;
      } else {
        throw BlockalsException.usage(keys[role] + " '" + v + "' must be a 0-based column position (0, 1, 2, ...)"
            + " when header = false");
      }
    }
    checkDistinct(positions, wanted);
    int required = TextLayout.requiredFields(positions);
    int expected = required;
    if (firstLine != null) {
      LineSplitter.Split first = LineSplitter.split(firstLine, delimiter, quoting);
      // the first line fixes the width, like a header would, when it is wide enough to be a data line
      if (first.ok() && first.fields().size() >= required) {
        expected = first.fields().size();
      }
    }
    return new TextLayout(delimiter, quoting, false, positions, ROLES, expected);
  }

  private static List<String> wantedColumns(InputSpec spec) {
    // By role: user, item, rating, timestamp; a role the input does not have is null.
    List<String> wanted = new ArrayList<>(List.of(spec.userCol(), spec.itemCol()));
    wanted.add(spec.hasRating() ? spec.ratingCol() : null);
    if (spec.hasTimestamp()) {
      wanted.add(spec.timestampCol());
    }
    return wanted;
  }

  private static int[] defaultPositions(InputSpec spec) {
    return new int[] {0, 1, spec.hasRating() ? 2 : -1, spec.hasTimestamp() ? 3 : -1};
  }

  private static void checkDistinct(int[] positions, List<String> wanted) {
    Set<Integer> seen = new HashSet<>();
    for (int role = 0; role < wanted.size(); role++) {
      if (positions[role] >= 0 && !seen.add(positions[role])) {
        throw BlockalsException.usage("user_col, item_col, rating_col and timestamp_col must name different "
            + "columns, got " + wanted);
      }
    }
  }

  /** Exact match first, then case-insensitive. */
  private static int find(List<String> names, String wanted) {
    int exact = names.indexOf(wanted);
    if (exact >= 0) {
      return exact;
    }
    String lower = wanted.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).toLowerCase(Locale.ROOT).equals(lower)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> trimmed(List<String> fields) {
    List<String> out = new ArrayList<>(fields.size());
    for (String f : fields) {
      out.add(InputFiles.stripBom(f).trim());
    }
    return out;
  }
}
