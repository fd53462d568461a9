package io.blockals.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Held-out pairs scored inside every iteration, on the executors: set-up resolves each pair once to its item block
 * ({@link ValidationPairs}) and its user's block ({@link ValidationUsers}); each item half then also receives, in a
 * small shuffle of its own, the new factors of just the users with held-out pairs in its block, and scores its pairs
 * in the same stage as its solve, against its new item factors. The sums travel with the training loss, so the
 * validation RMSE of every iteration costs no Spark job.
 *
 * <p>"Users" and "items" here are the two sides in the order an iteration solves them: the pairs are scored where
 * the iteration's last half solves. When that half solves the users (implicit feedback), the pairs come in as
 * (item, user, value) and every "user" below is an item and every "item" a user.
 *
 * <p>A pair is scored as {@code io.blockals.model.Scoring} scores a published model: global mean plus the known
 * sides' biases plus, when both are known, the dot product, in the same order of double operations.
 */
final class ValidationSet {
  private static final int BATCH = 4096;

  final JavaRDD<ValidationUsers> users;
  final JavaRDD<ValidationPairs> pairs;
  final long numPairs;
  private final int numItemBlocks;

  private ValidationSet(JavaRDD<ValidationUsers> users, JavaRDD<ValidationPairs> pairs, long numPairs,
      int numItemBlocks) {
    this.users = users;
    this.pairs = pairs;
    this.numPairs = numPairs;
    this.numItemBlocks = numItemBlocks;
  }

  /** Resolves {@code heldOut} (user, item, rating) against the blocks; one job, whose result is cached. */
  static ValidationSet build(JavaRDD<Row> heldOut, JavaRDD<SideBlock> userBlocks, JavaRDD<SideBlock> itemBlocks,
      int nU, int nI) {
    JavaRDD<ValidationBatch> byUser = heldOut.mapPartitionsToPair(it -> batchByUser(it, nU))
        .partitionBy(new BlockPartitioner(nU)).values();
    JavaRDD<Tuple2<ValidationUsers, List<Tuple2<Integer, ValidationBatch>>>> resolved =
        userBlocks.zipPartitions(byUser, (bs, vs) -> single(resolveUsers(bs.next(), vs, nI)));
    JavaRDD<ValidationUsers> users = resolved.map(Tuple2::_1)
        .setName("blockals validation users").persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<ValidationBatch> byItem = JavaPairRDD.fromJavaRDD(resolved.flatMap(t -> t._2().iterator()))
        .partitionBy(new BlockPartitioner(nI)).values();
    JavaRDD<ValidationPairs> pairs = itemBlocks.zipPartitions(byItem, (bs, vs) -> single(resolveItems(bs.next(), vs)))
        .setName("blockals validation pairs").persist(StorageLevel.MEMORY_AND_DISK());
    long n;
    try {
      n = pairs.map(v -> (long) v.size()).union(users.map(u -> 0L)).reduce(Long::sum);
    } catch (RuntimeException | Error e) {
      users.unpersist(false);
      pairs.unpersist(false);
      throw e;
    }
    return new ValidationSet(users, pairs, n, nI);
  }

  /** The messages of one iteration: each user block's new factors of its validation users, to each item block. */
  JavaRDD<FactorMessage> messages(JavaRDD<FactorBlock> userFactors) {
    int nI = numItemBlocks;
    JavaRDD<Tuple2<Integer, FactorMessage>> msgs = userFactors.zipPartitions(users, (fs, us) -> {
      FactorBlock f = fs.next();
      ValidationUsers u = us.next();
      List<Tuple2<Integer, FactorMessage>> out = new ArrayList<>(nI);
      for (int d = 0; d < nI; d++) {
        int[] rows = u.outLocal[d];
        float[] data = new float[rows.length * f.dim];
        for (int t = 0; t < rows.length; t++) {
          System.arraycopy(f.values, rows[t] * f.dim, data, t * f.dim, f.dim);
        }
        out.add(new Tuple2<>(d, new FactorMessage(u.block, data, null, 0.0)));
      }
      return out.iterator();
    });
    return JavaPairRDD.fromJavaRDD(msgs).partitionBy(new BlockPartitioner(nI)).values();
  }

  /**
   * {squared error sum, pairs} of one item block's held-out pairs with its new factors and the users' rows of
   * {@code received}.
   *
   * @param mu the global mean of the score (0 without biases)
   */
  static double[] score(ValidationPairs vp, List<FactorMessage> received, FactorBlock items, AlsParams s,
      double mu, int numUserBlocks) {
    float[][] bySrc = new float[numUserBlocks][];
    for (FactorMessage m : received) {
      bySrc[m.srcBlock] = m.rows;
    }
    int dim = s.dim();
    int rank = s.rank();
    boolean biases = s.biases();
    double se = 0;
    for (int j = 0; j < vp.size(); j++) {
      int il = vp.itemLocal[j];
      int slot = vp.slot[j];
      float[] u = slot >= 0 ? bySrc[vp.srcBlock[j]] : null;
      int uo = slot * dim;
      int io = il * dim;
      double prediction = mu;
      if (u != null && biases) {
        prediction += (double) u[uo + rank];
      }
      if (il >= 0 && biases) {
        prediction += (double) items.values[io + rank];
      }
      if (u != null && il >= 0) {
        double dot = 0;
        for (int f = 0; f < rank; f++) {
          dot += (double) u[uo + f] * items.values[io + f];
        }
        prediction += dot;
      }
      double e = vp.rating[j] - prediction;
      se += e * e;
    }
    return new double[] {se, vp.size()};
  }

  void unpersist() {
    users.unpersist(false);
    pairs.unpersist(false);
  }

  private static Iterator<Tuple2<Integer, ValidationBatch>> batchByUser(Iterator<Row> rows, int nU) {
    List<List<Object[]>> open = new ArrayList<>();
    for (int b = 0; b < nU; b++) {
      open.add(new ArrayList<>());
    }
    List<Tuple2<Integer, ValidationBatch>> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      String user = String.valueOf(r.get(0));
      int b = BlockHash.block(user, nU);
      open.get(b).add(new Object[] {user, String.valueOf(r.get(1)), ((Number) r.get(2)).doubleValue()});
      if (open.get(b).size() == BATCH) {
        out.add(new Tuple2<>(b, batch(-1, null, open.get(b))));
        open.set(b, new ArrayList<>());
      }
    }
    for (int b = 0; b < nU; b++) {
      if (!open.get(b).isEmpty()) {
        out.add(new Tuple2<>(b, batch(-1, null, open.get(b))));
      }
    }
    return out.iterator();
  }

  private static ValidationBatch batch(int srcBlock, int[] slot, List<Object[]> pairs) {
    String[] users = new String[pairs.size()];
    String[] items = new String[pairs.size()];
    double[] ratings = new double[pairs.size()];
    for (int j = 0; j < pairs.size(); j++) {
      users[j] = (String) pairs.get(j)[0];
      items[j] = (String) pairs.get(j)[1];
      ratings[j] = (Double) pairs.get(j)[2];
    }
    return new ValidationBatch(srcBlock, slot == null ? new int[pairs.size()] : slot, users, items, ratings);
  }

  /** A user block's pairs: its validation out-block, and the pairs with their slots, by item block. */
  static Tuple2<ValidationUsers, List<Tuple2<Integer, ValidationBatch>>> resolveUsers(SideBlock b,
      Iterator<ValidationBatch> received, int nI) {
    List<String> users = new ArrayList<>();
    List<String> items = new ArrayList<>();
    List<Double> ratings = new ArrayList<>();
    while (received.hasNext()) {
      ValidationBatch v = received.next();
      for (int j = 0; j < v.size(); j++) {
        users.add(v.users[j]);
        items.add(v.items[j]);
        ratings.add(v.ratings[j]);
      }
    }
    int n = users.size();
    int[] local = new int[n];
    int[] dst = new int[n];
    int[][] candidates = new int[nI][];
    int[] counts = new int[nI];
    for (int j = 0; j < n; j++) {
      int l = Arrays.binarySearch(b.ids, users.get(j));
      local[j] = l >= 0 ? l : -1;
      dst[j] = BlockHash.block(items.get(j), nI);
      if (l >= 0) {
        counts[dst[j]]++;
      }
    }
    for (int d = 0; d < nI; d++) {
      candidates[d] = new int[counts[d]];
      counts[d] = 0;
    }
    for (int j = 0; j < n; j++) {
      if (local[j] >= 0) {
        candidates[dst[j]][counts[dst[j]]++] = local[j];
      }
    }
    int[][] outLocal = new int[nI][];
    for (int d = 0; d < nI; d++) {
      outLocal[d] = Arrays.stream(candidates[d]).sorted().distinct().toArray();
    }
    List<List<Object[]>> byDst = new ArrayList<>();
    List<List<Integer>> slots = new ArrayList<>();
    for (int d = 0; d < nI; d++) {
      byDst.add(new ArrayList<>());
      slots.add(new ArrayList<>());
    }
    for (int j = 0; j < n; j++) {
      int d = dst[j];
      byDst.get(d).add(new Object[] {users.get(j), items.get(j), ratings.get(j)});
      slots.get(d).add(local[j] >= 0 ? Arrays.binarySearch(outLocal[d], local[j]) : -1);
    }
    List<Tuple2<Integer, ValidationBatch>> out = new ArrayList<>();
    for (int d = 0; d < nI; d++) {
      if (!byDst.get(d).isEmpty()) {
        int[] slot = slots.get(d).stream().mapToInt(Integer::intValue).toArray();
        out.add(new Tuple2<>(d, batch(b.block, slot, byDst.get(d))));
      }
    }
    return new Tuple2<>(new ValidationUsers(b.block, outLocal), out);
  }

  /** An item block's pairs, resolved to its rows and sorted by (item id, user id). */
  static ValidationPairs resolveItems(SideBlock b, Iterator<ValidationBatch> received) {
    List<Object[]> all = new ArrayList<>();
    while (received.hasNext()) {
      ValidationBatch v = received.next();
      for (int j = 0; j < v.size(); j++) {
        all.add(new Object[] {v.items[j], v.users[j], v.srcBlock, v.slot[j], v.ratings[j]});
      }
    }
    all.sort((x, y) -> {
      int c = ((String) x[0]).compareTo((String) y[0]);
      return c != 0 ? c : ((String) x[1]).compareTo((String) y[1]);
    });
    int n = all.size();
    int[] itemLocal = new int[n];
    int[] src = new int[n];
    int[] slot = new int[n];
    double[] rating = new double[n];
    for (int j = 0; j < n; j++) {
      Object[] x = all.get(j);
      int l = Arrays.binarySearch(b.ids, (String) x[0]);
      itemLocal[j] = l >= 0 ? l : -1;
      src[j] = (Integer) x[2];
      slot[j] = (Integer) x[3];
      rating[j] = (Double) x[4];
    }
    return new ValidationPairs(b.block, itemLocal, src, slot, rating);
  }

  private static <T> Iterator<T> single(T t) {
    return Collections.singletonList(t).iterator();
  }
}
