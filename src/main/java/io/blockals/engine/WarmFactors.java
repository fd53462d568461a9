package io.blockals.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Initial factors of one side from a published factor table: the table's rows are hashed to the blocks their ids
 * belong to (one shuffle of the table, nothing through the driver) and each block takes the rows of its own ids;
 * ids the table lacks get their seeded factors ({@link BlockAls#seedRow}).
 */
final class WarmFactors {
  private static final int BATCH = 4096;

  private WarmFactors() {}

  /**
   * The initial factors of every block of {@code blocks}, each with {kept, new, dropped} counts of its ids.
   *
   * @param published a table of the model contract: id (long or string), bias float, features array&lt;float&gt;
   */
  static JavaRDD<Tuple2<FactorBlock, long[]>> join(JavaRDD<SideBlock> blocks, Dataset<Row> published,
      int numBlocks, AlsParams p) {
    int rank = p.rank();
    int dim = p.dim();
    boolean biases = p.biases();
    JavaRDD<PublishedRows> routed = published.javaRDD()
        .mapPartitionsToPair(it -> batches(it, numBlocks, rank, dim, biases))
        .partitionBy(new BlockPartitioner(numBlocks))
        .values();
    return blocks.zipPartitions(routed, (bs, rs) -> {
      List<Tuple2<FactorBlock, long[]>> out = new ArrayList<>(1);
      SideBlock b = bs.next();
      out.add(start(b, rs, p));
      return out.iterator();
    });
  }

  /** A partition of the published table as batches keyed by the block of each id (its decimal string if a long). */
  private static Iterator<Tuple2<Integer, PublishedRows>> batches(Iterator<Row> rows, int numBlocks, int rank,
      int dim, boolean biases) {
    List<List<String>> ids = new ArrayList<>();
    List<float[]> values = new ArrayList<>();
    for (int b = 0; b < numBlocks; b++) {
      ids.add(new ArrayList<>());
      values.add(new float[BATCH * dim]);
    }
    List<Tuple2<Integer, PublishedRows>> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = String.valueOf(r.get(0));
      List<Object> features = r.getList(2);
      if (features.size() != rank) {
        throw new IllegalStateException("init_model: the factors of id '" + id + "' have " + features.size()
            + " features; this run has rank " + rank);
      }
      int b = BlockHash.block(id, numBlocks);
      List<String> bIds = ids.get(b);
      float[] v = values.get(b);
      int off = bIds.size() * dim;
      for (int f = 0; f < rank; f++) {
        v[off + f] = ((Number) features.get(f)).floatValue();
      }
      if (biases) {
        v[off + rank] = r.getFloat(1);
      }
      bIds.add(id);
      if (bIds.size() == BATCH) {
        out.add(new Tuple2<>(b, new PublishedRows(bIds.toArray(new String[0]), v)));
        ids.set(b, new ArrayList<>());
        values.set(b, new float[BATCH * dim]);
      }
    }
    for (int b = 0; b < numBlocks; b++) {
      int n = ids.get(b).size();
      if (n > 0) {
        out.add(new Tuple2<>(b, new PublishedRows(ids.get(b).toArray(new String[0]),
            java.util.Arrays.copyOf(values.get(b), n * dim))));
      }
    }
    return out.iterator();
  }

  /** One block's initial factors from the rows received for it, and its {kept, new, dropped} counts. */
  static Tuple2<FactorBlock, long[]> start(SideBlock b, Iterator<PublishedRows> received, AlsParams p) {
    int dim = p.dim();
    Map<String, Integer> rowOf = new HashMap<>(Math.max(16, b.numRows() * 2));
    for (int r = 0; r < b.numRows(); r++) {
      rowOf.put(b.id(r), r);
    }
    float[] v = new float[b.numRows() * dim];
    boolean[] found = new boolean[b.numRows()];
    long kept = 0;
    long published = 0;
    while (received.hasNext()) {
      PublishedRows rows = received.next();
      for (int t = 0; t < rows.ids.length; t++) {
        published++;
        Integer r = rowOf.get(rows.ids[t]);
        if (r != null && !found[r]) {
          found[r] = true;
          kept++;
          System.arraycopy(rows.values, t * dim, v, r * dim, dim);
        }
      }
    }
    for (int r = 0; r < b.numRows(); r++) {
      if (!found[r]) {
        BlockAls.seedRow(p, b.id(r), v, r * dim);
      }
    }
    long[] counts = {kept, b.numRows() - kept, published - kept};
    return new Tuple2<>(new FactorBlock(b.block, dim, v, 0, 0, 0), counts);
  }
}
