package io.blockals.data;

import java.util.Iterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import scala.Tuple2;

/**
 * The lines of one text input split, one at a time, each judged once: {@link #next()} moves to the next line that is
 * neither the header nor blank, which is then either read straight from its bytes ({@link #fast()}: a good line of
 * the common shape, see {@link AsciiLine}) or judged by {@link RowRules#checkLine} ({@link #verdict()}, good or bad,
 * with the decoded line in {@link #raw()}). Both readers of text inputs, the parsed table ({@link TextParser}) and
 * the engine's audited rows ({@link TextTrainingRows}), go through here, so a line is good or bad the same way in
 * both.
 */
final class SplitLines {
  private final Iterator<Tuple2<LongWritable, Text>> records;
  private final int file;
  private final long splitKey;
  private final TextLayout layout;
  private final double minRating;
  private final double maxRating;
  private final AsciiLine ascii;
  private long linesSeen;
  private long offset;
  private long lineInSplit;
  private Text text;
  private boolean fast;
  private RowRules.Verdict verdict;
  private String raw;

  SplitLines(Iterator<Tuple2<LongWritable, Text>> records, int file, long splitStart, TextLayout layout,
      double minRating, double maxRating) {
    this.records = records;
    this.file = file;
    this.splitKey = Ords.of(file, splitStart);
    this.layout = layout;
    this.minRating = minRating;
    this.maxRating = maxRating;
    this.ascii = AsciiLine.forLayout(layout, minRating, maxRating);
  }

  /** Moves to the next data line; false when the split has no more. */
  boolean next() {
    while (records.hasNext()) {
      Tuple2<LongWritable, Text> record = records.next();
      offset = record._1().get();
      lineInSplit = linesSeen++;
      if (offset == 0 && layout.header) {
        continue;
      }
      text = record._2();
      if (ascii != null && ascii.read(text.getBytes(), text.getLength())) {
        fast = true;
        verdict = null;
        raw = null;
        return true;
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
      fast = false;
      verdict = RowRules.checkLine(line, layout, minRating, maxRating);
      raw = line;
      return true;
    }
    return false;
  }

  /** The reader that read the current line from its bytes, or null when {@link #verdict()} judged it. */
  AsciiLine fast() {
    return fast ? ascii : null;
  }

  /** The current line's bytes, valid until {@link #next()}: {@code bytes()[0 .. length())}. */
  byte[] bytes() {
    return text.getBytes();
  }

  /** The verdict of a line {@link #fast()} did not read; computed from the bytes for one it did. */
  RowRules.Verdict verdict() {
    return fast ? ascii.verdict(text.getBytes()) : verdict;
  }

  /** The decoded line of a line {@link #fast()} did not read, or null. */
  String raw() {
    return raw;
  }

  /** The current line's position in the input: file index and byte offset. */
  long ord() {
    return Ords.of(file, offset);
  }

  /** The split's key: file index and the split's start. */
  long splitKey() {
    return splitKey;
  }

  /** The current line's index among the split's lines (header and blank lines count). */
  long lineInSplit() {
    return lineInSplit;
  }

  /** Lines seen so far; at the end, the split's line count. */
  long linesSeen() {
    return linesSeen;
  }
}
