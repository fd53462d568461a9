package io.blockals.engine;

import io.blockals.model.ModelFormat;
import static io.blockals.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.blockals.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The engine on Spark against exact answers: a low-rank matrix, determinism, long runs. */
class BlockAlsIT extends SparkTestBase {

  /** A fully observed users x items matrix of exact rank 3 (no noise), as engine input. */
  private static Dataset<Row> exactRank3(int users, int items, int partitions, double[][] truthOut) {
    return exactRank(3, users, items, partitions, truthOut);
  }

  /** A fully observed users x items matrix of the given exact rank (no noise), as engine input. */
  private static Dataset<Row> exactRank(int rank, int users, int items, int partitions, double[][] truthOut) {
    Random rnd = new Random(11);
    double[][] u = new double[users][rank];
    double[][] v = new double[items][rank];
    for (double[] row : u) {
      for (int k = 0; k < rank; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    for (double[] row : v) {
      for (int k = 0; k < rank; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int a = 0; a < users; a++) {
      for (int b = 0; b < items; b++) {
        double r = 0;
        for (int k = 0; k < rank; k++) {
          r += u[a][k] * v[b][k];
        }
        us.add("u" + a);
        is.add("i" + b);
        vs.add(r);
        if (truthOut != null) {
          truthOut[a][b] = r;
        }
      }
    }
    return EngineFixtures.ratings(spark, us, is, vs, partitions);
  }

  /** RMSE of the fitted model (no biases) over every cell of {@code truth}. */
  private static double rmseOverAllCells(AlsResult r, double[][] truth) {
    Map<String, float[]> users = EngineFixtures.collect(ModelFormat.userFactors(spark, r));
    Map<String, float[]> items = EngineFixtures.collect(ModelFormat.itemFactors(spark, r));
    double se = 0;
    for (int a = 0; a < truth.length; a++) {
      for (int b = 0; b < truth[a].length; b++) {
        double e = EngineFixtures.predict(0, users.get("u" + a), items.get("i" + b)) - truth[a][b];
        se += e * e;
      }
    }
    return Math.sqrt(se / (truth.length * truth[0].length));
  }

  @Test
  void recoversAnExactRank3MatrixToRmseBelow1e3() {
    double[][] truth = new double[30][20];
    Dataset<Row> data = exactRank3(30, 20, 3, truth);
    AlsResult r = BlockAls.fit(data, EngineFixtures.params(3, 40, 1e-7, false, 2, 2), null);
    assertThat(rmseOverAllCells(r, truth)).as("RMSE over all 600 cells").isLessThan(1e-3);
    // The engine's own training RMSE says the same thing.
    assertThat(r.history().get(r.history().size() - 1).trainRmse()).isLessThan(1e-3);
    r.unpersist();
  }

  @Test
  void recoversAnExactRank26MatrixThroughTheLargeRankKernel() {
    // Rank 26 builds its equations with the tiled kernel where the JVM has the vector module (the test JVMs do), the
    // scalar one otherwise: 26 features end inside the fourth 8-column tile, and users' 70 and items' 90 ratings end
    // inside the third 32-rating panel. The rank-3 test above never leaves the small-rank kernel.
    double[][] truth = new double[90][70];
    Dataset<Row> data = exactRank(26, 90, 70, 3, truth);
    AlsResult r = BlockAls.fit(data, EngineFixtures.params(26, 30, 1e-7, false, 2, 2), null);
    assertThat(rmseOverAllCells(r, truth)).as("RMSE over all 6300 cells").isLessThan(1e-3);
    r.unpersist();
  }

  @Test
  void lossNeverIncreases() {
    Dataset<Row> data = exactRank3(25, 15, 2, null);
    AlsResult r = BlockAls.fit(data, EngineFixtures.params(2, 12, 0.05, true, 2, 3), null);
    List<IterationStats> h = r.history();
    assertThat(h).hasSize(12);
    for (int t = 1; t < h.size(); t++) {
      // ALS minimises the objective exactly in each half, so it cannot go up (beyond float rounding).
      assertThat(h.get(t).trainLoss()).isLessThanOrEqualTo(h.get(t - 1).trainLoss() * (1 + 1e-5));
    }
    r.unpersist();
  }

  @Test
  void sameFactorsWhetherTheInputHasOneOrSevenPartitions() {
    AlsParams p = EngineFixtures.params(3, 5, 0.1, true, 2, 3);
    AlsResult one = BlockAls.fit(exactRank3(20, 15, 1, null), p, null);
    AlsResult seven = BlockAls.fit(exactRank3(20, 15, 7, null), p, null);
    Map<String, float[]> a = EngineFixtures.collect(ModelFormat.userFactors(spark, one));
    Map<String, float[]> b = EngineFixtures.collect(ModelFormat.userFactors(spark, seven));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String id : a.keySet()) {
      assertThat(b.get(id)).as("user %s", id).containsExactly(a.get(id));
    }
    Map<String, float[]> ai = EngineFixtures.collect(ModelFormat.itemFactors(spark, one));
    Map<String, float[]> bi = EngineFixtures.collect(ModelFormat.itemFactors(spark, seven));
    for (String id : ai.keySet()) {
      assertThat(bi.get(id)).as("item %s", id).containsExactly(ai.get(id));
    }
    one.unpersist();
    seven.unpersist();
  }

  @Test
  void warmStartedConjugateGradientGivesTheCholeskyModel() {
    Dataset<Row> data = exactRank3(25, 18, 2, null);
    AlsParams chol = new AlsParams(4, 8, 0.05, false, 1.0, true, false, "cholesky", 2, 2, 9L, 10,
        DuplicatePolicy.LATEST);
    AlsParams cg = new AlsParams(4, 8, 0.05, false, 1.0, true, false, "cg", 2, 2, 9L, 10, DuplicatePolicy.LATEST);
    assertThat(cg.solverSpec().warmStart()).isTrue();
    assertThat(chol.solverSpec().warmStart()).isFalse();
    AlsResult a = BlockAls.fit(data, chol, null);
    AlsResult b = BlockAls.fit(data, cg, null);
    Map<String, float[]> fa = EngineFixtures.collect(ModelFormat.itemFactors(spark, a));
    Map<String, float[]> fb = EngineFixtures.collect(ModelFormat.itemFactors(spark, b));
    for (String id : fa.keySet()) {
      for (int k = 0; k < 5; k++) {
        assertClose(fb.get(id)[k], fa.get(id)[k], 1e-4, "item " + id + " feature " + k);
      }
    }
    assertClose(b.history().get(7).trainLoss(), a.history().get(7).trainLoss(), 0, 1e-6, "final loss");
    a.unpersist();
    b.unpersist();
  }

  @Test
  void sixtyIterationsWithCheckpointsKeepTheLineageShort() {
    AlsParams p = new AlsParams(2, 60, 0.1, false, 1.0, true, false, "cholesky", 2, 2, 1L, 5,
        DuplicatePolicy.LATEST);
    List<Integer> reported = new ArrayList<>();
    AlsResult r = BlockAls.fit(exactRank3(12, 10, 2, null), p, (st, max) -> reported.add(st.iteration()));
    assertThat(r.history()).hasSize(60);
    assertThat(reported).as("every iteration reported once, in order").containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(1, 60).boxed().toList());
    // Iterations 5, 10, .., 55 were checkpointed; 60, the last, is not (it is written out as the model). So the final
    // factors reach a checkpoint within 5 iterations: 2 shuffles per iteration beyond those of set-up, not 120.
    int setup = Lineage.of(r.itemSideBlocks().rdd()).shuffles;
    Lineage items = Lineage.of(r.itemFactorBlocks().rdd());
    Lineage users = Lineage.of(r.userFactorBlocks().rdd());
    assertThat(r.itemFactorBlocks().isCheckpointed()).isFalse();
    assertThat(items.checkpoints).as("checkpoints behind the item factors").isPositive();
    assertThat(items.shuffles).as("shuffles behind the item factors").isEqualTo(setup + 10);
    assertThat(users.shuffles).as("shuffles behind the user factors").isEqualTo(setup + 9);
    assertThat(ModelFormat.userFactors(spark, r).count()).isEqualTo(12);
    r.unpersist();
  }

  @Test
  void aRunSplitIntoJobsReportsEveryIterationAndMatchesTheSameRunSplitAtCheckpoints() {
    // 25 iterations without checkpoints run as jobs of MAX_JOB_ITERATIONS (20 + 5), with checkpoints every 7 as jobs
    // of 7, 7, 7 and 4: where the jobs are cut must not change the arithmetic.
    assertThat(BlockAls.MAX_JOB_ITERATIONS).isLessThan(25);
    Dataset<Row> data = exactRank3(14, 11, 2, null);
    AlsParams split = new AlsParams(3, 25, 0.1, false, 1.0, true, false, "cholesky", 2, 2, 4L, 0,
        DuplicatePolicy.LATEST);
    AlsParams checkpointed = new AlsParams(3, 25, 0.1, false, 1.0, true, false, "cholesky", 2, 2, 4L, 7,
        DuplicatePolicy.LATEST);
    AlsResult a = BlockAls.fit(data, split, null);
    AlsResult b = BlockAls.fit(data, checkpointed, null);
    assertThat(a.history()).extracting(IterationStats::iteration).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList());
    for (int i = 0; i < 25; i++) {
      assertThat(b.history().get(i).trainLoss()).as("loss at iteration " + (i + 1))
          .isEqualTo(a.history().get(i).trainLoss());
    }
    a.unpersist();
    b.unpersist();
  }

  /** Counts the shuffles and checkpoint reads reachable from an RDD (a checkpointed RDD's parents are its files). */
  private static final class Lineage {
    int shuffles;
    int checkpoints;

    static Lineage of(org.apache.spark.rdd.RDD<?> rdd) {
      Lineage l = new Lineage();
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      java.util.ArrayDeque<org.apache.spark.rdd.RDD<?>> todo = new java.util.ArrayDeque<>(List.of(rdd));
      while (!todo.isEmpty()) {
        org.apache.spark.rdd.RDD<?> next = todo.pop();
        if (!seen.add(next.id())) {
          continue;
        }
        if (next.getClass().getSimpleName().contains("CheckpointRDD")) {
          l.checkpoints++;
        }
        scala.collection.Iterator<org.apache.spark.Dependency<?>> deps = next.dependencies().iterator();
        while (deps.hasNext()) {
          org.apache.spark.Dependency<?> d = deps.next();
          if (d instanceof org.apache.spark.ShuffleDependency<?, ?, ?>) {
            l.shuffles++;
          }
          todo.push(d.rdd());
        }
      }
      return l;
    }
  }

  @Test
  void internalRowsAndRowsTrainTheSameModel() {
    // fit(Dataset) reads Spark's internal rows (UTF-8 ids, de-duplicated per batch); fit(JavaRDD<Row>) reads Rows.
    // Non-ASCII ids, runs of one user, duplicates resolved by timestamp and missing timestamps: same model, bit for
    // bit, and the duplicates resolved the same way.
    Random rnd = new Random(3);
    List<Row> rows = new ArrayList<>();
    long ord = 0;
    for (int u = 0; u < 40; u++) {
      String user = (u % 3 == 0 ? "ü-" : "u") + u;
      for (int t = 0; t < 12; t++) {
        String item = (t % 4 == 0 ? "東" : "i") + rnd.nextInt(25);
        Long ts = t % 5 == 0 ? null : (long) rnd.nextInt(1000);
        rows.add(org.apache.spark.sql.RowFactory.create(user, item, 1.0 + rnd.nextInt(5), ts, ord++));
      }
    }
    Dataset<Row> data = spark.createDataFrame(rows, EngineFixtures.INPUT).repartition(3);
    AlsParams p = EngineFixtures.params(3, 6, 0.1, true, 2, 2);
    AlsResult viaDataset = BlockAls.fit(data, p, null);
    JavaRDD<Row> asRows = data.select("user", "item", "rating", "ts", "ord").javaRDD();
    AlsResult viaRows = BlockAls.fit(asRows, p, null, null);
    // fitInternalRows, from a source that hands out one row object per partition, rewritten for every rating (as the
    // train job's text reader does): nothing of an earlier row may be kept.
    AlsResult viaReused = BlockAls.fitInternalRows(asRows.mapPartitions(BlockAlsIT::reusedRow), p, null, null,
        FitOptions.NONE);
    assertThat(viaDataset.history()).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(viaDataset.history().get(i).trainLoss()).as("loss at iteration " + (i + 1))
          .isEqualTo(viaRows.history().get(i).trainLoss())
          .isEqualTo(viaReused.history().get(i).trainLoss());
    }
    Map<String, float[]> a = EngineFixtures.collect(ModelFormat.userFactors(spark, viaDataset));
    Map<String, float[]> b = EngineFixtures.collect(ModelFormat.userFactors(spark, viaRows));
    Map<String, float[]> c = EngineFixtures.collect(ModelFormat.userFactors(spark, viaReused));
    assertThat(a.keySet()).hasSize(40).isEqualTo(b.keySet()).isEqualTo(c.keySet()).contains("ü-0");
    for (String id : a.keySet()) {
      assertThat(a.get(id)).as(id).containsExactly(b.get(id));
      assertThat(c.get(id)).as(id).containsExactly(b.get(id));
    }
    assertThat(EngineFixtures.collect(ModelFormat.itemFactors(spark, viaDataset)).keySet()).contains("東0", "i1");
    assertThat(EngineFixtures.collect(ModelFormat.itemFactors(spark, viaReused)))
        .hasSameSizeAs(EngineFixtures.collect(ModelFormat.itemFactors(spark, viaRows)));
    viaDataset.unpersist();
    viaRows.unpersist();
    viaReused.unpersist();
  }

  /**
   * The rows of a partition as one internal row, rewritten in place for each, whose ids are views of one byte buffer
   * that every row overwrites (the text reader's ids are views of the line it has just read).
   */
  private static java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow> reusedRow(java.util.Iterator<Row> it) {
    var row = new org.apache.spark.sql.catalyst.expressions.SpecificInternalRow(EngineFixtures.INPUT);
    byte[] line = new byte[256];
    return new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public org.apache.spark.sql.catalyst.InternalRow next() {
        Row r = it.next();
        byte[] user = r.getString(0).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] item = r.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(user, 0, line, 0, user.length);
        System.arraycopy(item, 0, line, user.length, item.length);
        row.update(0, org.apache.spark.unsafe.types.UTF8String.fromBytes(line, 0, user.length));
        row.update(1, org.apache.spark.unsafe.types.UTF8String.fromBytes(line, user.length, item.length));
        row.setDouble(2, r.getDouble(2));
        if (r.isNullAt(3)) {
          row.setNullAt(3);
        } else {
          row.setLong(3, r.getLong(3));
        }
        row.setLong(4, r.getLong(4));
        return row;
      }
    };
  }

  @Test
  void intAndLongIdsTrainTheModelOfTheirDecimalStrings() {
    // Integer id columns take their own set-up path (hashed as numbers); the model must be the one the same ids give
    // as strings, bit for bit, ids included. Negative ids, duplicates and missing timestamps as above.
    Random rnd = new Random(4);
    List<Row> ints = new ArrayList<>();
    List<Row> longs = new ArrayList<>();
    List<Row> strings = new ArrayList<>();
    List<Row> longStrings = new ArrayList<>();
    long ord = 0;
    for (int u = -5; u < 35; u++) {
      for (int t = 0; t < 12; t++) {
        int item = rnd.nextInt(25) * (t % 4 == 0 ? 1000 : 1);
        Long ts = t % 5 == 0 ? null : (long) rnd.nextInt(1000);
        double r = 1.0 + rnd.nextInt(5);
        ints.add(org.apache.spark.sql.RowFactory.create(u, item, r, ts, ord));
        longs.add(org.apache.spark.sql.RowFactory.create(u * 10_000_000_000L, (long) item, r, ts, ord));
        longStrings.add(org.apache.spark.sql.RowFactory.create(Long.toString(u * 10_000_000_000L),
            Integer.toString(item), r, ts, ord));
        strings.add(org.apache.spark.sql.RowFactory.create(Integer.toString(u), Integer.toString(item), r, ts, ord));
        ord++;
      }
    }
    org.apache.spark.sql.types.StructType intSchema =
        EngineFixtures.input(org.apache.spark.sql.types.DataTypes.IntegerType, false);
    org.apache.spark.sql.types.StructType longSchema =
        EngineFixtures.input(org.apache.spark.sql.types.DataTypes.LongType, false);
    AlsParams p = EngineFixtures.params(3, 5, 0.1, true, 2, 3);
    AlsResult viaInts = BlockAls.fit(spark.createDataFrame(ints, intSchema).repartition(3), p, null);
    AlsResult viaStrings = BlockAls.fit(spark.createDataFrame(strings, EngineFixtures.INPUT).repartition(3), p, null);
    AlsResult viaLongs = BlockAls.fit(spark.createDataFrame(longs, longSchema).repartition(2), p, null);
    for (int i = 0; i < 5; i++) {
      assertThat(viaInts.history().get(i).trainLoss()).as("loss at iteration " + (i + 1))
          .isEqualTo(viaStrings.history().get(i).trainLoss());
    }
    for (boolean users : new boolean[] {true, false}) {
      Map<String, float[]> a = EngineFixtures.collect(users ? ModelFormat.userFactors(spark, viaInts) : ModelFormat.itemFactors(spark, viaInts));
      Map<String, float[]> b = EngineFixtures.collect(users ? ModelFormat.userFactors(spark, viaStrings)
          : ModelFormat.itemFactors(spark, viaStrings));
      assertThat(a.keySet()).isEqualTo(b.keySet()).contains(users ? "-5" : "24000");
      assertThat(a.size()).isEqualTo(users ? 40 : b.size()).isGreaterThan(30);
      for (String id : a.keySet()) {
        assertThat(a.get(id)).as(id).containsExactly(b.get(id));
      }
    }
    AlsResult viaLongStrings = BlockAls.fit(spark.createDataFrame(longStrings, EngineFixtures.INPUT).repartition(2),
        p, null);
    Map<String, float[]> longUsers = EngineFixtures.collect(ModelFormat.userFactors(spark, viaLongs));
    Map<String, float[]> longStringUsers = EngineFixtures.collect(ModelFormat.userFactors(spark, viaLongStrings));
    assertThat(longUsers.keySet()).hasSize(40).isEqualTo(longStringUsers.keySet())
        .contains("-50000000000", "340000000000");
    for (String id : longUsers.keySet()) {
      assertThat(longUsers.get(id)).as(id).containsExactly(longStringUsers.get(id));
    }
    viaInts.unpersist();
    viaStrings.unpersist();
    viaLongs.unpersist();
    viaLongStrings.unpersist();

    // A null numeric id is refused by name, as an empty one would be meaningless.
    List<Row> withNull = new ArrayList<>(ints.subList(0, 20));
    withNull.add(org.apache.spark.sql.RowFactory.create(null, 3, 4.0, null, 999L));
    org.apache.spark.sql.types.StructType nullable =
        EngineFixtures.input(org.apache.spark.sql.types.DataTypes.IntegerType, true);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> BlockAls.fit(spark.createDataFrame(withNull, nullable), p, null))
        .hasStackTraceContaining("a rating has a null user id");
  }

  @Test
  void biasesAloneFitAnAdditiveMatrix() {
    // r(u, i) = 3 + a_u + c_i exactly: with biases on, the bias part carries it and the training error goes to ~0
    // even at rank 1 (the features only have to fit nothing).
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int a = 0; a < 15; a++) {
      for (int b = 0; b < 12; b++) {
        us.add("u" + a);
        is.add("i" + b);
        vs.add(3 + 0.1 * a - 0.2 * b);
      }
    }
    AlsResult r = BlockAls.fit(EngineFixtures.ratings(spark, us, is, vs, 2),
        EngineFixtures.params(1, 30, 1e-6, true, 2, 2), null);
    assertClose(r.globalMean(), 3 + 0.1 * 7 - 0.2 * 5.5, 1e-6, "global mean = mean of all ratings");
    assertThat(r.history().get(29).trainRmse()).isLessThan(1e-2);
    r.unpersist();
  }
}
