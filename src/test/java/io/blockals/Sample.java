package io.blockals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What is known of the shipped sample (data/sample) before any model is trained. */
public final class Sample {
  private Sample() {}

  /** noise_floor of data/sample/generator.json: the standard deviation of the noise planted in the sample. */
  public static double noiseFloor() throws IOException {
    Map<?, ?> spec = new ObjectMapper().readValue(Path.of("data/sample/generator.json").toFile(), Map.class);
    return ((Number) spec.get("noise_floor")).doubleValue();
  }

  /**
   * The population standard deviation of the rating column (the third) of a CSV file with a header: about the RMSE
   * of a model that predicts the global mean.
   */
  public static double ratingStdDev(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (String line : lines.subList(1, lines.size())) {
      double r = Double.parseDouble(line.split(",")[2]);
      sum += r;
      sumSq += r * r;
      n++;
    }
    double mean = sum / n;
    return Math.sqrt(sumSq / n - mean * mean);
  }
}
