package io.blockals.data;

import java.util.Iterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * Runs in the tasks: turns the records of one text input split straight into the engine's training rows while
 * counting the split for validation, the text form of {@link AuditedRows}. A good line of the common shape comes out
 * with no object made for it but the row's two id strings, which are views of the line's bytes, and the row is
 * reused: both are valid only until the next row is asked for, as with the rows of Spark's own scans. Bad lines go
 * into the split's {@link ScanStats}, which reaches the accumulator when the split is exhausted.
 */
final class TextTrainingRows
    implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<InternalRow>> {
  private static final long serialVersionUID = 1L;
  private static final int USER = 0;
  private static final int ITEM = 1;
  private static final int RATING = 2;
  private static final int TS = 3;
  private static final int ORD = 4;

  private final TextParser parser;
  private final ScanAccumulator acc;
  private final RatingsInput.PairFilter keep;

  TextTrainingRows(TextParser parser, ScanAccumulator acc, RatingsInput.PairFilter keep) {
    this.parser = parser;
    this.acc = acc;
    this.keep = keep;
  }

  @Override
  public Iterator<InternalRow> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> records) {
    return rows(parser.lines(split, records), TaskContext.getPartitionId());
  }

  /** The good rows of {@code lines}; the split's figures go to the accumulator as {@code partition}'s. */
  Iterator<InternalRow> rows(SplitLines lines, int partition) {
    SpecificInternalRow row = new SpecificInternalRow(RatingsInput.RATINGS_SCHEMA);
    ScanStats stats = new ScanStats();
    return new Lookahead<>() {
      private boolean reported;

      @Override
      protected InternalRow advance() {
        while (lines.next()) {
          AsciiLine fast = lines.fast();
          if (fast != null) {
            byte[] bytes = lines.bytes();
            row.update(USER, UTF8String.fromBytes(bytes, fast.userStart, fast.userEnd - fast.userStart));
            row.update(ITEM, UTF8String.fromBytes(bytes, fast.itemStart, fast.itemEnd - fast.itemStart));
            row.setDouble(RATING, fast.rating);
            if (fast.hasTs) {
              row.setLong(TS, fast.ts);
            } else {
              row.setNullAt(TS);
            }
          } else {
            RowRules.Verdict v = lines.verdict();
            if (!v.isGood()) {
              stats.bad(lines.ord(), lines.splitKey(), lines.lineInSplit(), v.reason.code(), v.column, v.value,
                  v.problem);
              continue;
            }
            row.update(USER, UTF8String.fromString(v.user));
            row.update(ITEM, UTF8String.fromString(v.item));
            row.setDouble(RATING, v.rating);
            if (v.ts != null) {
              row.setLong(TS, v.ts);
            } else {
              row.setNullAt(TS);
            }
          }
          row.setLong(ORD, lines.ord());
          stats.good++;
          if (keep == null || keep.test(row.getUTF8String(USER).toString(), row.getUTF8String(ITEM).toString())) {
            return row;
          }
        }
        if (!reported) {
          reported = true;
          stats.splitLines.put(lines.splitKey(), lines.linesSeen());
          acc.add(new ScanAccumulator.Part(partition, stats));
        }
        return null;
      }
    };
  }
}
