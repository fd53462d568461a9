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
    FileSplit fileSplit = (FileSplit) split;
    Integer file = fileIndex.get(InputFiles.key(fileSplit.getPath()));
    if (file == null) {
      throw new IllegalStateException("input split of an unlisted file: " + fileSplit.getPath());
    }
    long splitKey = Ords.of(file, fileSplit.getStart());
    TextLayout layout = layouts[file];
    AsciiLine fast = AsciiLine.forLayout(layout, minRating, maxRating);
    return new Lookahead<>() {
      private long linesSeen;
      private boolean markerSent;

      @Override
      protected Row advance() {
        while (records.hasNext()) {
          Tuple2<LongWritable, Text> record = records.next();
          long offset = record._1().get();
          long lineInSplit = linesSeen++;
          if (offset == 0 && layout.header) {
            continue;
          }
          Text text = record._2();
          RowRules.Verdict quick = fast == null ? null : fast.parse(text.getBytes(), text.getLength());
          if (quick != null) {
            return ParsedRows.of(quick, Ords.of(file, offset), splitKey, lineInSplit, null);
          }
          // Text is reused by the record reader, so decode now
          String line = text.toString();
          if (offset == 0) {
            line = InputFiles.stripBom(line);
          }
          if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
          }
          if (line.isBlank()) {
            continue;
          }
          RowRules.Verdict v = RowRules.checkLine(line, layout, minRating, maxRating);
          return ParsedRows.of(v, Ords.of(file, offset), splitKey, lineInSplit, line);
        }
        if (!markerSent) {
          markerSent = true;
          return ParsedRows.splitMarker(splitKey, linesSeen);
        }
        return null;
      }
    };
  }
}
