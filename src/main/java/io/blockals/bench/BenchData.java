package io.blockals.bench;

import io.blockals.generate.PlantedData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The planted data of one size as cached Spark tables, built once and materialised before any timing, so every fit
 * reads the same in-memory rows and no engine pays for parsing: blockals' input schema (string ids) for blockals,
 * dense int ids for MLlib (which only accepts integer ids), and the held-out pairs for MLlib's evaluation.
 */
final class BenchData implements AutoCloseable {
  /** blockals' engine input: user string, item string, rating double, ts long (nullable), ord long. */
  static final StructType BLOCKALS_INPUT = blockalsInput(DataTypes.StringType);

  /** blockals' engine input with MLlib's ids: the generator's dense indices as ints, the other columns as above. */
  static final StructType BLOCKALS_INT_INPUT = blockalsInput(DataTypes.IntegerType);

  private static StructType blockalsInput(org.apache.spark.sql.types.DataType idType) {
    return new StructType()
        .add("user", idType, false)
        .add("item", idType, false)
        .add("rating", DataTypes.DoubleType, false)
        .add("ts", DataTypes.LongType, true)
        .add("ord", DataTypes.LongType, false);
  }

  /** MLlib's input: the generator's dense indices as ints. */
  static final StructType MLLIB_INPUT = new StructType()
      .add("user", DataTypes.IntegerType, false)
      .add("item", DataTypes.IntegerType, false)
      .add("rating", DataTypes.FloatType, false);

  private static final String BLOCKALS_TABLE = "bench_blockals_train";
  private static final String BLOCKALS_INT_TABLE = "bench_blockals_int_train";
  private static final String MLLIB_TABLE = "bench_mllib_train";
  private static final String MLLIB_TEST_TABLE = "bench_mllib_test";

  private final SparkSession spark;
  private final Broadcast<Rows[]> rows;
  final Dataset<Row> blockalsTrain;
  final Dataset<Row> blockalsIntTrain;
  final Dataset<Row> mllibTrain;
  final Dataset<Row> mllibTest;

  private BenchData(SparkSession spark, Broadcast<Rows[]> rows, Dataset<Row> blockalsTrain,
      Dataset<Row> blockalsIntTrain, Dataset<Row> mllibTrain, Dataset<Row> mllibTest) {
    this.spark = spark;
    this.rows = rows;
    this.blockalsTrain = blockalsTrain;
    this.blockalsIntTrain = blockalsIntTrain;
    this.mllibTrain = mllibTrain;
    this.mllibTest = mllibTest;
  }

  /** Builds, caches and materialises the three tables from {@code data}, in {@code partitions} partitions each. */
  static BenchData build(SparkSession spark, PlantedData data, int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String[] userIds = new String[data.numUsers()];
    for (int u = 0; u < userIds.length; u++) {
      userIds[u] = data.userId(u);
    }
    String[] itemIds = new String[data.numItems()];
    for (int i = 0; i < itemIds.length; i++) {
      itemIds[i] = data.itemId(i);
    }
    // The arrays travel as one broadcast (in local mode read from the driver's memory store without a copy) and the
    // tasks carry only a slice number: had the rows been parallelize()d, every task that later reads the cached
    // tables would still serialise its slice of the data, because a cached RDD keeps its parent's partitions.
    Rows train = new Rows(userIds, itemIds, data.trainUser(), data.trainItem(), data.trainRating(),
        data.trainTimestamp());
    Rows test = new Rows(userIds, itemIds, data.testUser(), data.testItem(), data.testRating(),
        data.testTimestamp());
    Broadcast<Rows[]> rows = jsc.broadcast(new Rows[] {train, test});
    int trainParts = Math.max(1, Math.min(partitions, train.size()));
    int testParts = Math.max(1, Math.min(partitions, test.size()));
    JavaRDD<Integer> trainSlices = jsc.parallelize(range(trainParts), trainParts);
    JavaRDD<Integer> testSlices = jsc.parallelize(range(testParts), testParts);

    cache(spark, spark.createDataFrame(
        trainSlices.mapPartitions(it -> rows.value()[0].blockalsRows(it, trainParts)), BLOCKALS_INPUT),
        BLOCKALS_TABLE);
    cache(spark, spark.createDataFrame(
        trainSlices.mapPartitions(it -> rows.value()[0].blockalsIntRows(it, trainParts)), BLOCKALS_INT_INPUT),
        BLOCKALS_INT_TABLE);
    cache(spark, spark.createDataFrame(
        trainSlices.mapPartitions(it -> rows.value()[0].mllibRows(it, trainParts)), MLLIB_INPUT), MLLIB_TABLE);
    cache(spark, spark.createDataFrame(
        testSlices.mapPartitions(it -> rows.value()[1].mllibRows(it, testParts)), MLLIB_INPUT), MLLIB_TEST_TABLE);
    return new BenchData(spark, rows, spark.table(BLOCKALS_TABLE), spark.table(BLOCKALS_INT_TABLE),
        spark.table(MLLIB_TABLE), spark.table(MLLIB_TEST_TABLE));
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      out.add(p);
    }
    return out;
  }

  /** A named cached table (the name shows in the Spark UI's storage tab), materialised now. */
  private static void cache(SparkSession spark, Dataset<Row> df, String name) {
    df.createOrReplaceTempView(name);
    spark.catalog().cacheTable(name, StorageLevel.MEMORY_AND_DISK());
    spark.table(name).count();
  }

  @Override
  public void close() {
    spark.catalog().uncacheTable(BLOCKALS_TABLE);
    spark.catalog().uncacheTable(BLOCKALS_INT_TABLE);
    spark.catalog().uncacheTable(MLLIB_TABLE);
    spark.catalog().uncacheTable(MLLIB_TEST_TABLE);
    spark.catalog().dropTempView(BLOCKALS_TABLE);
    spark.catalog().dropTempView(BLOCKALS_INT_TABLE);
    spark.catalog().dropTempView(MLLIB_TABLE);
    spark.catalog().dropTempView(MLLIB_TEST_TABLE);
    rows.destroy();
  }

  /** Generated rows in the generator's arrays; slice {@code p} of {@code n} is a contiguous range, in order. */
  static final class Rows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] userIds;
    private final String[] itemIds;
    private final int[] user;
    private final int[] item;
    private final float[] rating;
    private final long[] ts;

    Rows(String[] userIds, String[] itemIds, int[] user, int[] item, float[] rating, long[] ts) {
      this.userIds = userIds;
      this.itemIds = itemIds;
      this.user = user;
      this.item = item;
      this.rating = rating;
      this.ts = ts;
    }

    int size() {
      return user.length;
    }

    static int from(int slice, int slices, int n) {
      return (int) ((long) n * slice / slices);
    }

    /** blockals' schema; ord is the row's position in the generated order, as a file's line number would be. */
    Iterator<Row> blockalsRows(Iterator<Integer> slices, int count) {
      List<Row> out = new ArrayList<>();
      while (slices.hasNext()) {
        int p = slices.next();
        for (int r = from(p, count, size()); r < from(p + 1, count, size()); r++) {
          out.add(RowFactory.create(userIds[user[r]], itemIds[item[r]], (double) rating[r], ts[r], (long) r));
        }
      }
      return out.iterator();
    }

    /** blockals' schema with MLlib's dense int ids. */
    Iterator<Row> blockalsIntRows(Iterator<Integer> slices, int count) {
      List<Row> out = new ArrayList<>();
      while (slices.hasNext()) {
        int p = slices.next();
        for (int r = from(p, count, size()); r < from(p + 1, count, size()); r++) {
          out.add(RowFactory.create(user[r], item[r], (double) rating[r], ts[r], (long) r));
        }
      }
      return out.iterator();
    }

    /** MLlib's schema: dense int ids. */
    Iterator<Row> mllibRows(Iterator<Integer> slices, int count) {
      List<Row> out = new ArrayList<>();
      while (slices.hasNext()) {
        int p = slices.next();
        for (int r = from(p, count, size()); r < from(p + 1, count, size()); r++) {
          out.add(RowFactory.create(user[r], item[r], rating[r]));
        }
      }
      return out.iterator();
    }
  }
}
