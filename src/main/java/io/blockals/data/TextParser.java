package io.blockals.data;

import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Runs in the tasks: turns the (byte offset, line) records of one input split into {@link ParsedRows}, lazily,
 * and ends the split with a marker row holding its line count.
 */
final class TextParser implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  private final Map<String, Integer> fileIndex;
  private final TextLayout[] layouts;
  private final double minRating;
  private final double maxRating;

  TextParser(Map<String, Integer> fileIndex, TextLayout[] layouts, double minRating, double maxRating) {
    this.fileIndex = Map.copyOf(fileIndex);
    this.layouts = layouts.clone();
    this.minRating = minRating;
    this.maxRating = maxRating;
  }

  @Override
  public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> records) {
    SplitLines lines = lines(split, records);
    return new Lookahead<>() {
      private boolean markerSent;

      @Override
      protected Row advance() {
        if (lines.next()) {
          return ParsedRows.of(lines.verdict(), lines.ord(), lines.splitKey(), lines.lineInSplit(), lines.raw());
        }
        if (!markerSent) {
          markerSent = true;
          return ParsedRows.splitMarker(lines.splitKey(), lines.linesSeen());
        }
        return null;
      }
    };
  }

  /** The lines of {@code split}, a split of one of the listed files. */
  SplitLines lines(InputSplit split, Iterator<Tuple2<LongWritable, Text>> records) {
    FileSplit fileSplit = (FileSplit) split;
    Integer file = fileIndex.get(InputFiles.key(fileSplit.getPath()));
    if (file == null) {
      throw new IllegalStateException("input split of an unlisted file: " + fileSplit.getPath());
    }
    return new SplitLines(records, file, fileSplit.getStart(), layouts[file], minRating, maxRating);
  }
}
