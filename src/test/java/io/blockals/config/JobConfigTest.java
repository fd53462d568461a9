package io.blockals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import io.blockals.BlockalsException;
import io.blockals.data.BadRowPolicy;
import io.blockals.data.InputSpec;
import io.blockals.engine.AlsParams;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.model.PublishOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job configuration as a user writes it: defaults.conf alone, a config file in each syntax and through a Hadoop
 * path, {@code --set} over the file, and the one-line errors for unknown keys, wrong types and values out of range.
 * Expected values are the ones defaults.conf and the files written here state.
 */
class JobConfigTest {
  @TempDir
  Path dir;

  // ---- every section of defaults.conf, with nothing set ----

  @Test
  void theModelSectionHasTheDocumentedDefaults() {
    JobConfig c = JobConfig.defaultsOnly();
    assertThat(c.rank()).isEqualTo(10);
    assertThat(c.maxIter()).isEqualTo(10);
    assertThat(c.regParam()).isEqualTo(0.05);
    assertThat(c.implicit()).isFalse();
    assertThat(c.alpha()).isEqualTo(1.0);
    // biases = auto: on for explicit feedback with unconstrained factors
    assertThat(c.biases()).isTrue();
    assertThat(c.nonnegative()).isFalse();
    assertThat(c.solver()).isEqualTo("auto");
    assertThat(c.seed()).isEqualTo(42L);
    assertThat(c.checkpointInterval()).isEqualTo(10);
    assertThat(c.checkpointDir()).isEmpty();
    // num_user_blocks = num_item_blocks = 0: as many as Spark's default parallelism
    AlsParams p = c.alsParams(3);
    assertThat(p.numUserBlocks()).isEqualTo(3);
    assertThat(p.numItemBlocks()).isEqualTo(3);
    assertThat(p.duplicates()).isEqualTo(DuplicatePolicy.LATEST);
    assertThat(p.rank()).isEqualTo(10);
    assertThat(p.regParam()).isEqualTo(0.05);
    assertThat(p.seed()).isEqualTo(42L);
  }

  @Test
  void theInputSectionHasTheDocumentedDefaults() {
    JobConfig c = JobConfig.defaultsOnly();
    InputSpec in = c.inputSpec();
    assertThat(in.format()).isEqualTo("auto");
    assertThat(in.userCol()).isEqualTo("user");
    assertThat(in.itemCol()).isEqualTo("item");
    assertThat(in.ratingCol()).isEqualTo("rating");
    assertThat(in.timestampCol()).isEmpty();
    assertThat(in.delimiter()).isEmpty();
    assertThat(in.header()).isTrue();
    assertThat(in.minRating()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(in.maxRating()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(in.badRows()).isEqualTo(BadRowPolicy.FAIL);
    assertThat(in.maxBadFraction()).isEqualTo(0.01);
    assertThat(c.cacheInput()).isFalse();
    assertThat(c.duplicates()).isEqualTo(DuplicatePolicy.LATEST);
  }

  @Test
  void theEvaluationPublishingAndGateSectionsHaveTheDocumentedDefaults() {
    JobConfig c = JobConfig.defaultsOnly();
    assertThat(c.validationFraction()).isZero();
    PublishOptions pub = c.publish();
    assertThat(pub.layout()).isEqualTo(PublishOptions.Layout.PLAIN);
    assertThat(pub.runId()).isNull();
    assertThat(pub.atomicRename()).isNull();
    assertThat(c.qualityGate().enabled()).isFalse();
  }

  @Test
  void resolvedValuesHoldEveryKeyOfTheDefaults() {
    Config defaults = ConfigFactory.parseResources("blockals/defaults.conf");
    Map<String, Object> resolved = JobConfig.defaultsOnly().resolvedValues();
    assertThat(resolved.keySet()).containsExactlyInAnyOrderElementsOf(defaults.root().keySet());
    assertThat(resolved).containsEntry("rank", 10).containsEntry("layout", "plain").containsEntry("biases", true);
  }

  // ---- a file in each syntax ----

  @Test
  void aHoconFileOverlaysTheDefaults() {
    // conf/example.conf as shipped: the README's example overlay.
    JobConfig c = JobConfig.load("conf/example.conf", Map.of(), new Configuration(false));
    assertThat(c.rank()).isEqualTo(10);
    assertThat(c.maxIter()).isEqualTo(15);
    assertThat(c.regParam()).isEqualTo(0.05);
    assertThat(c.seed()).isEqualTo(7L);
    assertThat(c.validationFraction()).isEqualTo(0.1);
    assertThat(c.inputSpec().format()).isEqualTo("csv");
    assertThat(c.inputSpec().timestampCol()).isEqualTo("timestamp");
    assertThat(c.inputSpec().minRating()).isEqualTo(-10.0);
    assertThat(c.inputSpec().maxRating()).isEqualTo(20.0);
    assertThat(c.inputSpec().badRows()).isEqualTo(BadRowPolicy.SKIP);
    // not in the file: the default
    assertThat(c.checkpointInterval()).isEqualTo(10);
    assertThat(c.isSetByUser("max_iter")).isTrue();
    assertThat(c.isSetByUser("checkpoint_interval")).isFalse();
  }

  @Test
  void aHoconFileMayUseItsOwnSyntaxAndSubstitutions() throws IOException {
    Path f = write("job.conf", String.join("\n",
        "# a comment",
        "rank: 6",
        "max_iter = ${rank}",
        "user_col = \"user id\"",
        "implicit = yes",
        "alpha = 40"));
    JobConfig c = JobConfig.load(f.toString(), Map.of(), new Configuration(false));
    assertThat(c.rank()).isEqualTo(6);
    assertThat(c.maxIter()).isEqualTo(6);
    assertThat(c.inputSpec().userCol()).isEqualTo("user id");
    assertThat(c.implicit()).isTrue();
    assertThat(c.alpha()).isEqualTo(40.0);
    // biases = auto is off for implicit feedback
    assertThat(c.biases()).isFalse();
  }

  @Test
  void aJsonFileIsReadAsJson() throws IOException {
    Path f = write("job.json", "{\"rank\": 4, \"reg_param\": 0.25, \"layout\": \"dated\", \"run_id\": \"20250131\","
        + " \"nonnegative\": true}");
    JobConfig c = JobConfig.load(f.toString(), Map.of(), new Configuration(false));
    assertThat(c.rank()).isEqualTo(4);
    assertThat(c.regParam()).isEqualTo(0.25);
    assertThat(c.publish().layout()).isEqualTo(PublishOptions.Layout.DATED);
    assertThat(c.publish().runId()).isEqualTo("20250131");
    assertThat(c.nonnegative()).isTrue();
    assertThat(c.biases()).isFalse();
  }

  @Test
  void aJsonFileIsNotReadAsHocon() throws IOException {
    // Valid HOCON, invalid JSON: the .json extension picks the strict parser.
    Path f = write("job.json", "rank = 4\n");
    BlockalsException e = usageError(() -> JobConfig.load(f.toString(), Map.of(), new Configuration(false)));
    assertThat(e.getMessage()).contains("config file").contains(f.toString());
  }

  @Test
  void aPropertiesFileIsReadAsProperties() throws IOException {
    Path f = write("job.properties", String.join("\n",
        "rank=7",
        "bad_rows=quarantine",
        "max_bad_fraction=0.2",
        "delimiter=;",
        "header=false"));
    JobConfig c = JobConfig.load(f.toString(), Map.of(), new Configuration(false));
    assertThat(c.rank()).isEqualTo(7);
    assertThat(c.inputSpec().badRows()).isEqualTo(BadRowPolicy.QUARANTINE);
    assertThat(c.inputSpec().maxBadFraction()).isEqualTo(0.2);
    assertThat(c.inputSpec().delimiter()).isEqualTo(";");
    assertThat(c.inputSpec().header()).isFalse();
  }

  @Test
  void aFileIsReadThroughItsHadoopFileSystem() throws IOException {
    Path f = write("job.conf", "rank = 12\n");
    // A file: URI, and a scheme only Hadoop knows (the local file system under another name).
    assertThat(JobConfig.load(f.toUri().toString(), Map.of(), new Configuration(false)).rank()).isEqualTo(12);
    Configuration hadoop = new Configuration(false);
    hadoop.set("fs.record.impl", "io.blockals.safety.RecordingFileSystem");
    hadoop.setBoolean("fs.record.impl.disable.cache", true);
    assertThat(JobConfig.load("record://" + f.toAbsolutePath(), Map.of(), hadoop).rank()).isEqualTo(12);
  }

  @Test
  void aMissingFileIsAUsageErrorNamingIt() {
    String missing = dir.resolve("nope.conf").toString();
    BlockalsException e = usageError(() -> JobConfig.load(missing, Map.of(), new Configuration(false)));
    assertThat(e.getMessage()).contains("does not exist").contains(missing);
  }

  @Test
  void aFileThatDoesNotParseIsAUsageErrorNamingIt() throws IOException {
    Path f = write("broken.conf", "rank = {\n");
    BlockalsException e = usageError(() -> JobConfig.load(f.toString(), Map.of(), new Configuration(false)));
    assertThat(e.getMessage()).contains(f.toString());
  }

  // ---- precedence ----

  @Test
  void setWinsOverTheFileWhichWinsOverTheDefaults() throws IOException {
    Path f = write("job.conf", "rank = 20\nmax_iter = 3\n");
    JobConfig c = JobConfig.load(f.toString(), Map.of("rank", "30", "seed", "5"), new Configuration(false));
    assertThat(c.rank()).isEqualTo(30);
    assertThat(c.maxIter()).isEqualTo(3);
    assertThat(c.seed()).isEqualTo(5L);
    assertThat(c.regParam()).isEqualTo(0.05);
    assertThat(c.isSetByUser("rank")).isTrue();
    assertThat(c.isSetByUser("seed")).isTrue();
    assertThat(c.isSetByUser("reg_param")).isFalse();
    // model.json records the winning values (a --set value as its text)
    assertThat(String.valueOf(c.resolvedValues().get("rank"))).isEqualTo("30");
    assertThat(String.valueOf(c.resolvedValues().get("max_iter"))).isEqualTo("3");
  }

  @Test
  void setCanClearAValueTheFileSet() throws IOException {
    Path f = write("job.conf", "validation_fraction = 0.1\nmin_improvement = 0.01\n");
    JobConfig gated = JobConfig.load(f.toString(), Map.of(), new Configuration(false));
    assertThat(gated.qualityGate().minImprovement()).isEqualTo(0.01);
    JobConfig open = JobConfig.load(f.toString(), Map.of("min_improvement", ""), new Configuration(false));
    assertThat(open.qualityGate().enabled()).isFalse();
  }

  // ---- unknown keys ----

  @Test
  void anUnknownKeyInSetIsAUsageErrorWithASuggestion() {
    BlockalsException e = usageError(() -> JobConfig.load(null, Map.of("rnak", "5"), new Configuration(false)));
    assertThat(e.getMessage()).contains("unknown config key 'rnak'").contains("did you mean 'rank'");
  }

  @Test
  void anUnknownKeyInAFileIsAUsageError() throws IOException {
    Path f = write("job.conf", "rank = 5\nmax_iterations = 3\n");
    BlockalsException e = usageError(() -> JobConfig.load(f.toString(), Map.of(), new Configuration(false)));
    assertThat(e.getMessage()).contains("unknown config key 'max_iterations'");
  }

  @Test
  void aKeyFarFromEveryKnownOneGetsNoSuggestion() {
    BlockalsException e = usageError(() -> JobConfig.load(null, Map.of("learning_rate", "0.1"),
        new Configuration(false)));
    assertThat(e.getMessage()).contains("unknown config key 'learning_rate'").doesNotContain("did you mean");
  }

  @Test
  void theSuggestionIsTheNearestKeyWithinTwoEdits() {
    java.util.Set<String> known = java.util.Set.of("rank", "seed", "alpha");
    assertThat(JobConfig.suggestion("rnak", known)).isEqualTo(" (did you mean 'rank'?)");
    assertThat(JobConfig.suggestion("sed", known)).isEqualTo(" (did you mean 'seed'?)");
    assertThat(JobConfig.suggestion("xyzzy", known)).isEmpty();
    assertThat(JobConfig.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(JobConfig.editDistance("", "abc")).isEqualTo(3);
    assertThat(JobConfig.editDistance("rank", "rank")).isZero();
  }

  // ---- wrong types and values ----

  @Test
  void everyNumericOrBooleanKeyRejectsAWordNamingTheKey() {
    // Every key whose default is a number or a boolean, read from defaults.conf itself, so a key added there is
    // covered too.
    Config defaults = ConfigFactory.parseResources("blockals/defaults.conf");
    int checked = 0;
    for (var e : defaults.root().entrySet()) {
      ConfigValueType type = e.getValue().valueType();
      if (type != ConfigValueType.NUMBER && type != ConfigValueType.BOOLEAN) {
        continue;
      }
      String key = e.getKey();
      BlockalsException err = usageError(() -> JobConfig.load(null, Map.of(key, "oops"), new Configuration(false)));
      assertThat(err.getMessage()).as(key).contains(key);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(14);
  }

  @Test
  void aWrongTypeInAFileNamesTheKeyAndTheFile() throws IOException {
    Path f = write("job.json", "{\"max_iter\": \"many\"}");
    BlockalsException e = usageError(() -> JobConfig.load(f.toString(), Map.of(), new Configuration(false)));
    assertThat(e.getMessage()).contains("max_iter").contains(f.toString());
  }

  @Test
  void aWordWhereAChoiceIsExpectedNamesTheKey() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("biases", "maybe");
    bad.put("solver", "lu");
    bad.put("format", "xml");
    bad.put("bad_rows", "ignore");
    bad.put("duplicates", "average");
    bad.put("layout", "nested");
    bad.put("atomic_rename", "sometimes");
    bad.put("min_rating", "low");
    bad.put("max_rating", "high");
    bad.put("min_improvement", "lots");
    bad.put("max_regression", "some");
    bad.put("run_id", "../escape");
    bad.forEach((key, value) -> {
      BlockalsException e = usageError(() -> JobConfig.load(null, Map.of(key, value), new Configuration(false)));
      assertThat(e.getMessage()).as(key).contains(key);
    });
  }

  @Test
  void valuesOutOfRangeAreUsageErrors() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("rank", "0");
    bad.put("max_iter", "-1");
    bad.put("reg_param", "-0.1");
    bad.put("alpha", "-1");
    bad.put("num_user_blocks", "-1");
    bad.put("num_item_blocks", "-2");
    bad.put("checkpoint_interval", "-1");
    bad.put("validation_fraction", "0.5");
    bad.put("max_bad_fraction", "1.5");
    bad.forEach((key, value) -> {
      BlockalsException e = usageError(() -> JobConfig.load(null, Map.of(key, value), new Configuration(false)));
      assertThat(e.getMessage()).as(key).contains(key);
    });
  }

  @Test
  void keysThatContradictEachOtherAreUsageErrors() {
    assertThat(usageError(() -> load("min_rating", "5", "max_rating", "1")).getMessage())
        .contains("min_rating").contains("max_rating");
    assertThat(usageError(() -> load("implicit", "true", "biases", "true")).getMessage()).contains("implicit");
    assertThat(usageError(() -> load("nonnegative", "true", "biases", "true")).getMessage()).contains("nonnegative");
    assertThat(usageError(() -> load("validation_fraction", "0.1", "min_improvement", "0.01",
        "max_regression", "0.02")).getMessage()).contains("not both");
    assertThat(usageError(() -> load("min_improvement", "0.01")).getMessage()).contains("validation_fraction");
    assertThat(usageError(() -> load("validation_fraction", "0.1", "min_improvement", "1")).getMessage())
        .contains("min_improvement");
    assertThat(usageError(() -> load("validation_fraction", "0.1", "max_regression", "-0.1")).getMessage())
        .contains("max_regression");
  }

  @Test
  void choicesAreCaseInsensitiveAndTrimmed() {
    JobConfig c = load("solver", "CG", "bad_rows", "Skip", "duplicates", " sum ", "layout", "Dated",
        "atomic_rename", "FALSE", "biases", "False", "format", "TSV");
    assertThat(c.solver()).isEqualTo("cg");
    assertThat(c.inputSpec().badRows()).isEqualTo(BadRowPolicy.SKIP);
    assertThat(c.duplicates()).isEqualTo(DuplicatePolicy.SUM);
    assertThat(c.publish().layout()).isEqualTo(PublishOptions.Layout.DATED);
    assertThat(c.publish().atomicRename()).isFalse();
    assertThat(c.biases()).isFalse();
    assertThat(c.inputSpec().format()).isEqualTo("tsv");
  }

  private static JobConfig load(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return JobConfig.load(null, m, new Configuration(false));
  }

  private static BlockalsException usageError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    BlockalsException e = catchThrowableOfType(BlockalsException.class, call);
    assertThat(e).as("a usage error").isNotNull();
    assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(BlockalsException.EXIT_USAGE);
    return e;
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }
}
