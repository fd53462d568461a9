package io.blockals.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blockals.Approx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlantedFilesTest {
  private static final GeneratorSpec SPEC = GeneratorSpec.defaults().withSize(300, 200, 5000);

  @TempDir
  Path tmp;

  @Test
  void csvHasTheHeaderEveryRowAndTheValuesWithinThePrintedPrecision() throws IOException {
    PlantedData d = SyntheticGenerator.generate(SPEC);
    Path dir = tmp.resolve("out");
    PlantedFiles.write(d, dir.toString(), new Configuration());

    List<String> train = Files.readAllLines(dir.resolve("train.csv"), StandardCharsets.UTF_8);
    List<String> test = Files.readAllLines(dir.resolve("test.csv"), StandardCharsets.UTF_8);
    assertThat(train.get(0)).isEqualTo("user,item,rating,timestamp");
    assertThat(test.get(0)).isEqualTo("user,item,rating,timestamp");
    assertThat(train).hasSize(d.numTrain() + 1);
    assertThat(test).hasSize(d.numTest() + 1);
    assertRowsMatch(train, d, d.trainUser(), d.trainItem(), d.trainRating(), d.trainTimestamp());
    assertRowsMatch(test, d, d.testUser(), d.testItem(), d.testRating(), d.testTimestamp());
  }

  private static void assertRowsMatch(List<String> lines, PlantedData d, int[] users, int[] items, float[] ratings,
      long[] timestamps) {
    for (int r = 0; r < users.length; r++) {
      String[] f = lines.get(r + 1).split(",", -1);
      assertThat(f).hasSize(4);
      assertThat(f[0]).isEqualTo(d.userId(users[r]));
      assertThat(f[1]).isEqualTo(d.itemId(items[r]));
      assertThat(f[2]).matches("-?[0-9]+\\.[0-9]{4}");
      // 4 decimals: at most 5e-5 off, plus float rounding of the parsed value.
      Approx.assertClose(Double.parseDouble(f[2]), ratings[r], 5e-5 + 1e-6, "rating of row " + r);
      assertThat(Long.parseLong(f[3])).isEqualTo(timestamps[r]);
    }
  }

  @Test
  void sameSpecGivesByteIdenticalFiles() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    PlantedFiles.write(SyntheticGenerator.generate(SPEC), a.toString(), new Configuration());
    PlantedFiles.write(SyntheticGenerator.generate(SPEC), b.toString(), new Configuration());
    for (String name : List.of("train.csv", "test.csv", "generator.json")) {
      assertThat(Files.readAllBytes(b.resolve(name))).as(name).isEqualTo(Files.readAllBytes(a.resolve(name)));
    }
  }

  @Test
  void writesOnlyItsOwnFilesAndRemovesAStaleTestFile() throws IOException {
    Path dir = tmp.resolve("shared");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("keep.txt"), "not ours");
    PlantedFiles.write(SyntheticGenerator.generate(SPEC), dir.toString(), new Configuration());
    assertThat(names(dir)).containsExactly("generator.json", "keep.txt", "test.csv", "train.csv");

    // Rewriting without a test part must not leave the previous run's test.csv beside the new train.csv.
    PlantedData noTest = SyntheticGenerator.generate(SPEC.withTestFraction(0));
    PlantedFiles.write(noTest, "file://" + dir.toAbsolutePath(), new Configuration());
    assertThat(names(dir)).containsExactly("generator.json", "keep.txt", "train.csv");
    assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("not ours");
    assertThat(Files.readAllLines(dir.resolve("train.csv"))).hasSize((int) SPEC.ratings() + 1);
  }

  @Test
  void implicitCountsAreWrittenAsIntegers() throws IOException {
    PlantedData d = SyntheticGenerator.generate(SPEC.withImplicit(true).withStringIds(false));
    Path dir = tmp.resolve("implicit");
    PlantedFiles.write(d, dir.toString(), new Configuration());
    List<String> train = Files.readAllLines(dir.resolve("train.csv"));
    for (int r = 0; r < d.numTrain(); r++) {
      String[] f = train.get(r + 1).split(",");
      assertThat(Long.parseLong(f[0])).isEqualTo(d.userLongId(d.trainUser()[r]));
      assertThat(f[2]).matches("[1-9][0-9]*");
      assertThat(Float.parseFloat(f[2])).isEqualTo(d.trainRating()[r]);
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("generator.json").toFile());
    assertThat(json.get("noise_floor").isNull()).isTrue();
    assertThat(json.get("spec").get("implicit").asBoolean()).isTrue();
  }

  @Test
  void generatorJsonDescribesTheSpecAndTheCounts() throws IOException {
    PlantedData d = SyntheticGenerator.generate(SPEC);
    Path dir = tmp.resolve("json");
    PlantedFiles.write(d, dir.toString(), new Configuration());
    JsonNode json = new ObjectMapper().readTree(dir.resolve("generator.json").toFile());
    assertThat(json.get("spec").get("users").asInt()).isEqualTo(300);
    assertThat(json.get("spec").get("ratings").asLong()).isEqualTo(5000);
    assertThat(json.get("spec").get("seed").asLong()).isEqualTo(SPEC.seed());
    assertThat(json.get("noise_floor").asDouble()).isEqualTo(SPEC.noise());
    assertThat(json.get("global_mean").asDouble()).isEqualTo(3.5);
    assertThat(json.get("counts").get("train").asInt()).isEqualTo(d.numTrain());
    assertThat(json.get("counts").get("test").asInt()).isEqualTo(d.numTest());
    assertThat(json.get("command").asText()).isEqualTo("generate " + SPEC.toCommandLine());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
