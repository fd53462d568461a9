package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.BlockalsException;
import io.blockals.SparkTestBase;
import io.blockals.config.JobConfig;
import io.blockals.data.InputSpec;
import io.blockals.model.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** split's invariants: train and test together are the input, no pair on both sides, seeded, time respected. */
class SplitJobIT extends SparkTestBase {
  private static final InputSpec SPEC = JobConfig.defaultsOnly().inputSpec().withTimestampCol("timestamp");
  private static final int USERS = 30;

  @TempDir
  static Path data;

  @TempDir
  Path tmp;

  /** One input row as text, the unit of the multiset comparisons. */
  record R(String user, String item, double rating, long ts) {
    String pair() {
      return user + "|" + item;
    }
  }

  private static List<R> input;
  private static Path inputFile;

  /** User k has k + 1 pairs (user 0 one, user 1 two, ...), unique timestamps, and user 5 rates one item twice. */
  @BeforeAll
  static void writeInput() throws IOException {
    Random rnd = new Random(3);
    input = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        items.add(i);
      }
      Collections.shuffle(items, rnd);
      for (int j = 0; j <= u % 12; j++) {
        input.add(new R("u" + u, "i" + items.get(j), 1 + rnd.nextInt(5), 1_000_000L + rnd.nextInt(1_000_000)));
      }
    }
    R first = input.stream().filter(r -> r.user.equals("u5")).findFirst().orElseThrow();
    input.add(new R("u5", first.item, 2, first.ts - 1));
    StringBuilder sb = new StringBuilder("user,item,rating,timestamp\n");
    input.forEach(r -> sb.append(r.user).append(',').append(r.item).append(',').append(r.rating).append(',')
        .append(r.ts).append('\n'));
    inputFile = data.resolve("ratings.csv");
    Files.writeString(inputFile, sb);
  }

  private List<R> read(Path dir, String side) {
    List<R> out = new ArrayList<>();
    for (Row r : spark.read().parquet(dir.resolve(side).toString()).collectAsList()) {
      out.add(new R(r.getString(0), r.getString(1), r.getDouble(2), r.getLong(3)));
    }
    return out;
  }

  private SplitJob.Outcome split(Path out, SplitJob.Method method, Double fraction, Integer leaveOut, Long before,
      long seed) {
    return SplitJob.run(spark, inputFile.toString(), out.toString(), SPEC,
        new SplitJob.Options(method, fraction, leaveOut, before, seed, "parquet"));
  }

  /** Union equals the input as a multiset; no (user, item) pair on both sides (with pairs as the unit). */
  private void assertPartition(Path dir, boolean pairsDisjoint) {
    List<R> train = read(dir, SplitJob.TRAIN);
    List<R> test = read(dir, SplitJob.TEST);
    List<R> union = new ArrayList<>(train);
    union.addAll(test);
    assertThat(union).as("train + test = input").containsExactlyInAnyOrderElementsOf(input);
    if (pairsDisjoint) {
      Set<String> trainPairs = new HashSet<>();
      train.forEach(r -> trainPairs.add(r.pair()));
      assertThat(test).as("no test pair in train").noneMatch(r -> trainPairs.contains(r.pair()));
    }
    assertThat(dir.resolve(ModelFormat.SUCCESS)).exists();
  }

  @Test
  void randomSplitIsAPartitionOfPairsAndTheSameForTheSameSeed() {
    Path a = tmp.resolve("a");
    SplitJob.Outcome out = split(a, SplitJob.Method.RANDOM, 0.3, null, null, 1);
    assertPartition(a, true);
    assertThat(out.trainRows() + out.testRows()).isEqualTo(input.size());
    assertThat((double) out.testRows() / input.size()).isBetween(0.2, 0.4);

    Path again = tmp.resolve("again");
    split(again, SplitJob.Method.RANDOM, 0.3, null, null, 1);
    assertThat(read(again, SplitJob.TEST)).containsExactlyInAnyOrderElementsOf(read(a, SplitJob.TEST));
    Path other = tmp.resolve("other");
    split(other, SplitJob.Method.RANDOM, 0.3, null, null, 2);
    assertThat(new HashSet<>(read(other, SplitJob.TEST))).as("another seed, another split")
        .isNotEqualTo(new HashSet<>(read(a, SplitJob.TEST)));
  }

  @Test
  void userSplitHoldsOutTheSameNumberOfEachUsersPairsAndKeepsSmallUsersWhole() {
    Path dir = tmp.resolve("user");
    SplitJob.Outcome out = split(dir, SplitJob.Method.USER, null, 2, null, 7);
    assertPartition(dir, true);
    Map<String, Set<String>> pairs = pairsByUser(input);
    Map<String, Set<String>> testPairs = pairsByUser(read(dir, SplitJob.TEST));
    long whole = 0;
    for (var e : pairs.entrySet()) {
      int n = e.getValue().size();
      int held = testPairs.getOrDefault(e.getKey(), Set.of()).size();
      assertThat(held).as("test pairs of %s with %d pairs", e.getKey(), n).isEqualTo(n > 2 ? 2 : 0);
      whole += n > 2 ? 0 : 1;
    }
    assertThat(out.usersKeptWhole()).isEqualTo(whole);

    Path byFraction = tmp.resolve("fraction");
    split(byFraction, SplitJob.Method.USER, 0.25, null, null, 7);
    assertPartition(byFraction, true);
    Map<String, Set<String>> fractionTest = pairsByUser(read(byFraction, SplitJob.TEST));
    for (var e : pairs.entrySet()) {
      int n = e.getValue().size();
      // round(0.25 n), but never the user's last pair: 1 pair -> 0, 2 -> 1 (0.5 rounds up) -> at most n - 1 = 1
      int expected = Math.max(0, Math.min(n - 1, (int) Math.floor(0.25 * n + 0.5)));
      assertThat(fractionTest.getOrDefault(e.getKey(), Set.of())).as("test pairs of %s", e.getKey())
          .hasSize(expected);
    }
  }

  @Test
  void timeSplitHoldsOutEachUsersLatestPairs() {
    Path dir = tmp.resolve("time");
    split(dir, SplitJob.Method.TIME, null, 1, null, 0);
    assertPartition(dir, true);
    Map<String, Long> latestTrain = new HashMap<>();
    for (R r : read(dir, SplitJob.TRAIN)) {
      latestTrain.merge(r.user, r.ts, Math::max);
    }
    List<R> test = read(dir, SplitJob.TEST);
    for (R r : test) {
      assertThat(r.ts).as("test row %s is later than every train row of its user", r)
          .isGreaterThan(latestTrain.get(r.user));
    }
    assertThat(test).as("one pair per user with two or more pairs").hasSize(USERS - 3);
  }

  @Test
  void timeSplitBeforeCutsEveryRowAtTheTimestamp() {
    long before = 1_500_000L;
    Path dir = tmp.resolve("before");
    split(dir, SplitJob.Method.TIME, null, null, before, 0);
    assertPartition(dir, false);
    assertThat(read(dir, SplitJob.TRAIN)).allMatch(r -> r.ts < before).isNotEmpty();
    assertThat(read(dir, SplitJob.TEST)).allMatch(r -> r.ts >= before).isNotEmpty();
  }

  @Test
  void timeSplitOfAFileWithoutTimestampsNamesTheFile() throws IOException {
    Path noTs = tmp.resolve("no-ts.csv");
    Files.writeString(noTs, "user,item,rating\na,b,1\n");
    assertThatThrownBy(() -> SplitJob.run(spark, noTs.toString(), tmp.resolve("x").toString(), SPEC,
        new SplitJob.Options(SplitJob.Method.TIME, null, 1, null, 0, "parquet")))
        .isInstanceOf(BlockalsException.class)
        .hasMessageContaining("no-ts.csv").hasMessageContaining("'timestamp'")
        .satisfies(e -> assertThat(((BlockalsException) e).exitCode())
            .isEqualTo(BlockalsException.EXIT_INPUT_REJECTED));
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void anExistingDirectoryThatIsNotASplitIsNeverOverwritten() throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("keep.txt"), "data");
    assertThatThrownBy(() -> split(mine, SplitJob.Method.RANDOM, 0.5, null, null, 1))
        .isInstanceOf(BlockalsException.class)
        .satisfies(e -> assertThat(((BlockalsException) e).exitCode()).isEqualTo(BlockalsException.EXIT_USAGE));
    assertThat(mine.resolve("keep.txt")).hasContent("data");
  }

  private static Map<String, Set<String>> pairsByUser(List<R> rows) {
    Map<String, Set<String>> m = new HashMap<>();
    rows.forEach(r -> m.computeIfAbsent(r.user, k -> new HashSet<>()).add(r.item));
    return m;
  }
}
