package io.blockals.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blockals.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/** Small helpers for the safety tests: configs from key=value strings, model.json, directory listings. */
public final class Dirs {
  private Dirs() {}

  public static JobConfig config(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (String s : kv) {
      int eq = s.indexOf('=');
      m.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return JobConfig.load(null, m, new Configuration());
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> modelJson(Path model) throws IOException {
    return new ObjectMapper().readValue(model.resolve("model.json").toFile(), Map.class);
  }

  @SuppressWarnings("unchecked")
  static double validationRmse(Path model) throws IOException {
    return ((Number) ((Map<String, Object>) modelJson(model).get("metrics")).get("validation_rmse")).doubleValue();
  }

  /** Names in a folder, hidden ones included, sorted; checksum side files of the local file system left out. */
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(new TreeSet<>(s.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).toList()));
    }
  }

  /** Every file below {@code root} named {@code name}, relative to root. */
  static List<String> find(Path root, String name) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).map(p -> root.relativize(p).toString())
          .sorted().toList();
    }
  }

  /** A complete model directory: model.json, both factor tables with Parquet parts, and _SUCCESS. */
  static boolean isCompleteModel(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("_SUCCESS")) || !Files.isRegularFile(dir.resolve("model.json"))) {
      return false;
    }
    for (String t : List.of("user_factors", "item_factors")) {
      try (Stream<Path> s = Files.list(dir.resolve(t))) {
        if (s.noneMatch(p -> p.getFileName().toString().endsWith(".parquet"))) {
          return false;
        }
      }
    }
    return true;
  }
}
