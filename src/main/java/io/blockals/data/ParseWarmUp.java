package io.blockals.data;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * Runs the text reader's per-line path of a train run ({@link SplitLines}, {@link AsciiLine},
 * {@link TextTrainingRows}) over made-up
 * csv lines in memory, so that the JIT has compiled it before the first input split arrives: cold, the first splits
 * of a run are read several times slower than the later ones. Touches no file and no Spark state.
 */
public final class ParseWarmUp {
  private static final String[] LABELS = {"user", "item", "rating", "timestamp"};

  private ParseWarmUp() {}

  /**
   * Parses {@code rounds} batches of {@code lines} made-up lines and returns how many rows came out good (every one
   * of them, when the reader works).
   */
  public static long run(int rounds, int lines) {
    byte[][] made = madeUpLines(lines);
    long good = 0;
    for (int round = 0; round < rounds; round++) {
      Iterator<InternalRow> rows = rows(made, round);
      while (rows.hasNext()) {
        rows.next();
        good++;
      }
    }
    return good;
  }

  /** {@code lines} made-up csv lines of (string user, string item, decimal rating, integer timestamp). */
  public static byte[][] madeUpLines(int lines) {
    SplittableRandom rnd = new SplittableRandom(7);
    byte[][] made = new byte[lines][];
    for (int l = 0; l < lines; l++) {
      made[l] = String.format("u_%06x,i_%06x,%.4f,%d", rnd.nextInt(1 << 20), rnd.nextInt(1 << 16),
          0.5 + 4.5 * rnd.nextDouble(), 1_500_000_000L + rnd.nextInt(100_000_000)).getBytes(StandardCharsets.US_ASCII);
    }
    return made;
  }

  /**
   * The training rows a train run's reader makes of {@code made} as one input split (the split's figures reported
   * as partition {@code round}'s to an accumulator of its own), reused as the real ones are.
   */
  public static Iterator<InternalRow> rows(byte[][] made, int round) {
    TextLayout layout = new TextLayout(",", true, true, new int[] {0, 1, 2, 3}, LABELS, 4);
    Path file = new Path("file:/blockals-warm-up.csv");
    TextParser parser = new TextParser(Map.of(InputFiles.key(file), 0), new TextLayout[] {layout},
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    FileSplit split = new FileSplit(file, 1, Long.MAX_VALUE - 1, new String[0]);
    Iterator<Tuple2<LongWritable, Text>> records = new Iterator<>() {
      private final LongWritable offset = new LongWritable();
      private final Text text = new Text();
      private int next;

      @Override
      public boolean hasNext() {
        return next < made.length;
      }

      @Override
      public Tuple2<LongWritable, Text> next() {
        offset.set(1 + next * 40L);
        text.set(made[next++]);
        return new Tuple2<>(offset, text);
      }
    };
    return new TextTrainingRows(parser, new ScanAccumulator(), null).rows(parser.lines(split, records), round);
  }
}
