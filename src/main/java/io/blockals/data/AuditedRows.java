package io.blockals.data;

import java.util.Iterator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns one partition of parsed rows into the engine's training rows while counting it for validation: every row
 * (good, bad, split marker) goes into a {@link ScanStats}, good rows that {@code keep} accepts come out as
 * {@code (user, item, rating, ts, ord)}, and when the partition is exhausted its figures go to the accumulator.
 */
final class AuditedRows implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  private final ScanAccumulator acc;
  private final RatingsInput.PairFilter keep;

  AuditedRows(ScanAccumulator acc, RatingsInput.PairFilter keep) {
    this.acc = acc;
    this.keep = keep;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Row> parsed) {
    ScanStats stats = new ScanStats();
    return new Lookahead<>() {
      private boolean reported;

      @Override
      protected Row advance() {
        while (parsed.hasNext()) {
          Row r = parsed.next();
          ScanStats.add(stats, r);
          if (r.getInt(ParsedRows.KIND) == ParsedRows.GOOD) {
            String user = r.getString(1);
            String item = r.getString(2);
            if (keep == null || keep.test(user, item)) {
              return RowFactory.create(user, item, r.get(3), r.get(4), r.get(ParsedRows.ORD));
            }
          }
        }
        if (!reported) {
          reported = true;
          acc.add(new ScanAccumulator.Part(partition, stats));
        }
        return null;
      }
    };
  }
}
