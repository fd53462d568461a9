package io.blockals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.blockals.BlockalsException;
import io.blockals.generate.GeneratorSpec;
import io.blockals.generate.PlantedData;
import io.blockals.generate.SyntheticGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "--users|0|--users",
      "--items|-3|--items",
      "--rank|0|--rank",
      "--ratings|0|--ratings",
      "--users 100 --items 100 --ratings|10001|--ratings",
      "--test-fraction|1|--test-fraction",
      "--test-fraction|-0.1|--test-fraction",
      "--noise|-0.5|--noise",
      "--noise|NaN|--noise",
      "--zipf|-1|--zipf",
      "--user-skew|Infinity|--user-skew",
      "--users 100 --ratings 1000 --min-per-user|11|--min-per-user",
      "--items 100 --users 100 --ratings 1000 --min-per-item|11|--min-per-item",
      "--string-ids --int-ids --seed|1|--int-ids",
      "--stars|0.25|--stars",
      "--implicit --stars|1|--stars"})
  void rejectsBadOptionsWithExitCodeTwo(String options, String value, String named) {
    Path out = tmp.resolve("never");
    List<String> args = new ArrayList<>(List.of(options.split(" ")));
    args.add(value);
    args.add("--output");
    args.add(out.toString());
    GenerateCommand command = new GenerateCommand();
    new CommandLine(command).parseArgs(args.toArray(new String[0]));

    BlockalsException e = catchThrowableOfType(BlockalsException.class, command::call);
    assertThat(e).as("exception for %s", args).isNotNull();
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.getMessage()).contains(named).doesNotContain("\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void writesTheDataAndSaysWhatAndWhere() throws IOException {
    Path out = tmp.resolve("gen");
    StringWriter printed = new StringWriter();
    CommandLine cli = new CommandLine(new GenerateCommand());
    cli.setOut(new PrintWriter(printed));
    int exit = cli.execute("--output", out.toString(), "--users", "200", "--items", "100", "--ratings", "3000",
        "--rank", "4", "--noise", "0.25", "--seed", "11", "--int-ids", "--zipf", "0.5", "--user-skew", "0.3",
        "--min-per-user", "3", "--test-fraction", "0.2", "--no-biases");
    assertThat(exit).isZero();

    GeneratorSpec expected = new GeneratorSpec(200, 100, 3000, 4, 0.25, 11, false, 0.5, 0.3, 3, 0.2, false, false);
    PlantedData d = SyntheticGenerator.generate(expected);
    assertThat(Files.readAllLines(out.resolve("train.csv"))).hasSize(d.numTrain() + 1);
    assertThat(Files.readAllLines(out.resolve("test.csv"))).hasSize(d.numTest() + 1);
    assertThat(Files.readString(out.resolve("generator.json"))).contains("generate " + expected.toCommandLine());
    String line = printed.toString();
    assertThat(line.lines()).hasSize(1);
    assertThat(line).contains(Integer.toString(d.numTrain()), Integer.toString(d.numTest()), "0.25",
        out.toString());
  }

  @Test
  void onlyOutputGivesTheDefaultSpec() throws IOException {
    Path out = tmp.resolve("defaults");
    CommandLine cli = new CommandLine(new GenerateCommand());
    cli.setOut(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("--output", out.toString())).isZero();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("generator.json").toFile())
        .get("command").asText()).isEqualTo("generate " + GeneratorSpec.defaults().toCommandLine());
  }

  @Test
  void realisticSetsItsShapeButOptionsGivenWin() throws IOException {
    Path out = tmp.resolve("realistic");
    int exit = new CommandLine(new GenerateCommand()).execute("--output", out.toString(), "--realistic",
        "--users", "300", "--items", "200", "--ratings", "3000", "--rank", "3");
    assertThat(exit).isZero();
    GeneratorSpec expected = GeneratorSpec.realistic(300, 200, 3000, GeneratorSpec.defaults().seed()).withRank(3);
    assertThat(expected.stars()).isEqualTo(0.5);
    assertThat(Files.readString(out.resolve("generator.json"))).contains("generate " + expected.toCommandLine());
    List<String> lines = Files.readAllLines(out.resolve("train.csv"));
    for (String line : lines.subList(1, lines.size())) {
      double rating = Double.parseDouble(line.split(",")[2]);
      assertThat(rating * 2).as(line).isEqualTo(Math.rint(rating * 2));
      assertThat(rating).as(line).isBetween(0.5, 5.0);
    }
  }
}
