package io.blockals.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blockals.BlockalsException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a {@link PlantedData} set as the files {@code generate} promises: train.csv, test.csv, generator.json. */
public final class PlantedFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PlantedFiles.class);

  /** Digits after the decimal point of written explicit ratings (rounding error at most 5e-5, far below sigma). */
  public static final int RATING_DECIMALS = 4;
  /** Header of train.csv and test.csv. */
  public static final String HEADER = "user,item,rating,timestamp";
  public static final String TRAIN_FILE = "train.csv";
  public static final String TEST_FILE = "test.csv";
  public static final String SPEC_FILE = "generator.json";

  private PlantedFiles() {}

  /**
   * Writes {@code <dir>/train.csv}, {@code <dir>/test.csv} (only when there are test rows; a test.csv left by an
   * earlier run is removed) and {@code <dir>/generator.json} (the spec, the command line that regenerates the data,
   * counts and noise floor) through Hadoop's FileSystem, so {@code dir} may be any Hadoop path. Other files in
   * {@code dir} are left alone. The CSV header is {@value #HEADER}; explicit ratings carry {@value #RATING_DECIMALS}
   * decimals, play counts none. The files are a deterministic function of the data.
   */
  public static void write(PlantedData data, String dir, Configuration conf) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(conf, "conf");
    long started = System.nanoTime();
    Path base = new Path(dir);
    // A private instance: switching off .crc side files must not affect the cached FileSystem others share.
    try (FileSystem fs = FileSystem.newInstance(base.toUri(), conf)) {
      fs.setWriteChecksum(false);
      Path target = fs.makeQualified(base);
      if (fs.exists(target) && !fs.getFileStatus(target).isDirectory()) {
        throw BlockalsException.usage("--output " + dir + " is an existing file; give a directory");
      }
      if (!fs.mkdirs(target)) {
        throw new IOException("could not create the directory " + target);
      }
      byte[][] itemIds = new byte[data.numItems()][];
      for (int i = 0; i < itemIds.length; i++) {
        itemIds[i] = data.itemId(i).getBytes(StandardCharsets.UTF_8);
      }
      writeRows(fs, new Path(target, TRAIN_FILE), data, itemIds, data.trainUser(), data.trainItem(),
          data.trainRating(), data.trainTimestamp());
      Path test = new Path(target, TEST_FILE);
      if (data.numTest() > 0) {
        writeRows(fs, test, data, itemIds, data.testUser(), data.testItem(), data.testRating(),
            data.testTimestamp());
      } else if (fs.exists(test)) {
        fs.delete(test, false);
      }
      Path specFile = new Path(target, SPEC_FILE);
      deleteIfExists(fs, specFile);
      try (OutputStream out = fs.create(specFile, true)) {
        out.write(describe(data).getBytes(StandardCharsets.UTF_8));
      }
      LOG.info("Wrote {} train and {} test rows to {} in {} ms", data.numTrain(), data.numTest(), target,
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the synthetic data to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes a file we are about to rewrite, with any checksum side file an earlier writer left beside it. */
  private static void deleteIfExists(FileSystem fs, Path path) throws IOException {
    if (fs.exists(path)) {
      fs.delete(path, false);
    }
  }

  private static void writeRows(FileSystem fs, Path path, PlantedData data, byte[][] itemIds, int[] users,
      int[] items, float[] values, long[] timestamps) throws IOException {
    deleteIfExists(fs, path);
    boolean counts = data.implicit();
    int decimals = decimals(data.spec());
    try (CsvSink sink = new CsvSink(fs.create(path, true))) {
      sink.ascii(HEADER + "\n");
      int lastUser = -1;
      byte[] userId = null;
      for (int r = 0; r < users.length; r++) {
        if (users[r] != lastUser) {
          lastUser = users[r];
          userId = data.userId(lastUser).getBytes(StandardCharsets.UTF_8);
        }
        sink.bytes(userId);
        sink.separator(',');
        sink.bytes(itemIds[items[r]]);
        sink.separator(',');
        if (counts) {
          sink.longValue((long) values[r]);
        } else {
          sink.fixed(values[r], decimals);
        }
        sink.separator(',');
        sink.longValue(timestamps[r]);
        sink.separator('\n');
      }
    }
  }

  /** Decimals of written values: none for play counts, one for star ratings, else {@value #RATING_DECIMALS}. */
  static int decimals(GeneratorSpec s) {
    return s.implicit() ? 0 : s.starRatings() ? 1 : RATING_DECIMALS;
  }

  /** generator.json: snake_case keys, no creation time, so that the same data gives the same bytes. */
  static String describe(PlantedData data) {
    GeneratorSpec s = data.spec();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("users", s.users());
    spec.put("items", s.items());
    spec.put("ratings", s.ratings());
    spec.put("rank", s.rank());
    spec.put("noise", s.noise());
    spec.put("seed", s.seed());
    spec.put("string_ids", s.stringIds());
    spec.put("item_zipf", s.itemZipf());
    spec.put("user_skew", s.userSkew());
    spec.put("min_per_user", s.minPerUser());
    spec.put("min_per_item", s.minPerItem());
    spec.put("test_fraction", s.testFraction());
    spec.put("biases", s.biases());
    spec.put("implicit", s.implicit());
    if (s.starRatings()) {
      spec.put("stars", s.stars());
    }
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("train", TRAIN_FILE);
    if (data.numTest() > 0) {
      files.put("test", TEST_FILE);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", "blockals planted-factor synthetic data");
    m.put("format_version", 1);
    m.put("command", "generate " + s.toCommandLine());
    String explicit = "global_mean + b_u + b_i + p_u.q_i + N(0, noise^2)";
    m.put("model", s.implicit()
        ? "count = 1 + Poisson(" + SyntheticGenerator.IMPLICIT_BASE_RATE
            + " * exp(b_u + b_i + p_u.q_i + noise * z)), items kept with probability min(1, exp(b_u + b_i + p_u.q_i - "
            + SyntheticGenerator.IMPLICIT_ACCEPT_SHIFT + "))"
        : s.starRatings() ? "rating = " + explicit + ", rounded to a multiple of " + s.stars() + " in [" + s.stars()
            + ", " + SyntheticGenerator.MAX_STARS + "]"
        : "rating = " + explicit);
    m.put("spec", spec);
    m.put("global_mean", data.globalMean());
    m.put("noise_floor", s.implicit() ? null : data.noiseFloor());
    m.put("columns", HEADER);
    m.put("rating_decimals", decimals(s));
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("train", data.numTrain());
    counts.put("test", data.numTest());
    m.put("counts", counts);
    m.put("files", files);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("generator.json: " + e.getMessage(), e);
    }
  }
}
