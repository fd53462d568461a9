package io.blockals.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Planted ratings: r = 3 + b_u + b_i + p_u . q_i + noise, rank 3, int ids, each user rating a fixed number of
 * distinct random items. Small enough for local[2], large enough that the regularisation matters.
 */
final class Planted {
  static final int RANK = 3;
  static final StructType SCHEMA = new StructType().add("user", DataTypes.IntegerType, false)
      .add("item", DataTypes.IntegerType, false).add("rating", DataTypes.DoubleType, false);

  final List<Row> rows = new ArrayList<>();

  Planted(int users, int items, int perUser, double noise, long seed) {
    Random rnd = new Random(seed);
    double[][] p = gaussians(rnd, users, 0.7);
    double[][] q = gaussians(rnd, items, 0.7);
    double[] bu = new double[users];
    double[] bi = new double[items];
    for (int u = 0; u < users; u++) {
      bu[u] = 0.5 * rnd.nextGaussian();
    }
    for (int i = 0; i < items; i++) {
      bi[i] = 0.5 * rnd.nextGaussian();
    }
    for (int u = 0; u < users; u++) {
      Set<Integer> rated = new HashSet<>();
      while (rated.size() < perUser) {
        rated.add(rnd.nextInt(items));
      }
      for (int i : rated) {
        double dot = 0;
        for (int k = 0; k < RANK; k++) {
          dot += p[u][k] * q[i][k];
        }
        rows.add(RowFactory.create(u, i, 3 + bu[u] + bi[i] + dot + noise * rnd.nextGaussian()));
      }
    }
  }

  private static double[][] gaussians(Random rnd, int n, double sd) {
    double[][] out = new double[n][RANK];
    for (double[] row : out) {
      for (int k = 0; k < RANK; k++) {
        row[k] = sd * rnd.nextGaussian();
      }
    }
    return out;
  }

  Dataset<Row> frame(SparkSession spark) {
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The ratings as a CSV file with a header (user,item,rating), as {@code train} reads them. */
  static Path writeCsv(Dataset<Row> ratings, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("user,item,rating");
    for (Row r : ratings.collectAsList()) {
      lines.add(r.get(0) + "," + r.get(1) + "," + (r.get(2) == null ? "" : r.get(2)));
    }
    Files.write(file, lines);
    return file;
  }
}
