package io.blockals.job;

import io.blockals.serve.FactorBlock;
import io.blockals.serve.TopK;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** Cutting factor tables into {@link FactorBlock}s and writing merged heaps back as rows; shared by the serve jobs. */
public final class ServeBlocks {
  /** Rows per block: a block pair's two feature arrays (4096 x rank 32 floats = 512 KB each) stay in L2/L3. */
  public static final int ITEM_BLOCK = 4096;
  public static final int USER_BLOCK = 1024;

  /** A partition's rows in chunks of {@link #USER_BLOCK}, each made into one query block by {@code block}. */
  public static <T> Iterator<T> inUserBlocks(Iterator<Row> rows, java.util.function.Function<List<Row>, T> block) {
    List<T> blocks = new ArrayList<>();
    List<Row> chunk = new ArrayList<>();
    while (rows.hasNext()) {
      chunk.add(rows.next());
      if (chunk.size() == USER_BLOCK || !rows.hasNext()) {
        blocks.add(block.apply(chunk));
        chunk = new ArrayList<>();
      }
    }
    return blocks.iterator();
  }

  private ServeBlocks() {}

  /** Items sorted by id, each with its position; cached by the caller's use. */
  public static JavaPairRDD<Row, Long> sortedItems(Dataset<Row> items) {
    return items.select("id", "bias", "features").orderBy("id").javaRDD().zipWithIndex();
  }

  /** (position int, id) of every item, for writing positions back as ids. */
  public static Dataset<Row> itemIds(SparkSession spark, JavaPairRDD<Row, Long> sorted, DataType idType, String name) {
    StructType schema = new StructType().add("pos", DataTypes.IntegerType, false).add(name, idType, false);
    return spark.createDataFrame(sorted.map(t -> RowFactory.create(t._2.intValue(), t._1.get(0))), schema);
  }

  /** Item blocks of {@link #ITEM_BLOCK} consecutive positions; {@code unit} normalises rows and keeps norms in bias. */
  public static JavaRDD<FactorBlock> itemBlocks(JavaPairRDD<Row, Long> sorted, int numPartitions, boolean unit) {
    return sorted.mapToPair(t -> new Tuple2<>(t._2 / ITEM_BLOCK, t))
        .groupByKey(numPartitions)
        .map(g -> {
          List<Tuple2<Row, Long>> rows = new ArrayList<>();
          g._2.forEach(rows::add);
          return block(rows, unit);
        });
  }

  private static FactorBlock block(List<Tuple2<Row, Long>> rows, boolean unit) {
    int n = rows.size();
    int rank = n == 0 ? 0 : rows.get(0)._1.getList(2).size();
    Object[] keys = new Object[n];
    int[] pos = new int[n];
    float[] bias = new float[n];
    float[] f = new float[n * rank];
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r)._1;
      keys[r] = row.get(0);
      pos[r] = rows.get(r)._2.intValue();
      bias[r] = row.isNullAt(1) ? 0f : row.getFloat(1);
      copyFeatures(row.getList(2), f, r * rank, rank, row.get(0));
      if (unit) {
        bias[r] = io.blockals.serve.BlockScorer.normalise(f, r * rank, rank);
      }
    }
    return new FactorBlock(keys, pos, bias, f, rank, null);
  }

  static void copyFeatures(List<Object> feats, float[] f, int off, int rank, Object id) {
    if (feats.size() != rank) {
      throw new IllegalStateException("factor row " + id + " has " + feats.size() + " features, expected " + rank);
    }
    for (int j = 0; j < rank; j++) {
      f[off + j] = ((Number) feats.get(j)).floatValue();
    }
  }

  /** The merged heaps of one query block: its keys and one heap per key. */
  public static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object[] keys;
    final TopK[] heaps;

    public Partial(Object[] keys, TopK[] heaps) {
      this.keys = keys;
      this.heaps = heaps;
    }

    public Partial merge(Partial o) {
      for (int i = 0; i < heaps.length; i++) {
        heaps[i].merge(o.heaps[i]);
      }
      return this;
    }
  }

  public static TopK[] heaps(int n, int k) {
    TopK[] h = new TopK[n];
    for (int i = 0; i < n; i++) {
      h[i] = new TopK(k);
    }
    return h;
  }

  /** (key, position, score, rank) rows of merged partials, rank 1..k. */
  public static JavaRDD<Row> rows(JavaRDD<Partial> merged) {
    return merged.flatMap(p -> {
      List<Row> out = new ArrayList<>();
      for (int u = 0; u < p.keys.length; u++) {
        int[] items = p.heaps[u].sortedItems();
        double[] scores = p.heaps[u].sortedScores();
        for (int r = 0; r < items.length; r++) {
          out.add(RowFactory.create(p.keys[u], items[r], scores[r], r + 1));
        }
      }
      Iterator<Row> it = out.iterator();
      return it;
    });
  }

  /**
   * (key, id, score, rank) rows of merged partials, rank 1..k: as {@link #rows(JavaRDD)} with each position replaced
   * by its id, {@code idsByPosition[pos]}, on the executors.
   */
  public static JavaRDD<Row> rows(JavaRDD<Partial> merged, Broadcast<Object[]> idsByPosition) {
    return merged.flatMap(p -> {
      Object[] ids = idsByPosition.value();
      List<Row> out = new ArrayList<>();
      for (int u = 0; u < p.keys.length; u++) {
        int[] items = p.heaps[u].sortedItems();
        double[] scores = p.heaps[u].sortedScores();
        for (int r = 0; r < items.length; r++) {
          out.add(RowFactory.create(p.keys[u], ids[items[r]], scores[r], r + 1));
        }
      }
      Iterator<Row> it = out.iterator();
      return it;
    });
  }

  /** The schema of {@link #rows(JavaRDD, Broadcast)}: key, id, score, rank. */
  public static StructType resultSchema(DataType keyType, String keyName, DataType idType, String idName) {
    return new StructType().add(keyName, keyType, false).add(idName, idType, false)
        .add("score", DataTypes.DoubleType, false).add("rank", DataTypes.IntegerType, false);
  }

  public static StructType rowSchema(DataType keyType, String keyName) {
    return new StructType().add(keyName, keyType, false).add("pos", DataTypes.IntegerType, false)
        .add("score", DataTypes.DoubleType, false).add("rank", DataTypes.IntegerType, false);
  }
}
