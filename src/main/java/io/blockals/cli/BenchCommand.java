package io.blockals.cli;

import io.blockals.BlockalsException;
import io.blockals.bench.BenchConfig;
import io.blockals.bench.BenchReport;
import io.blockals.bench.BenchRow;
import io.blockals.bench.BenchRunner;
import io.blockals.bench.ImplicitBench;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: blockals against Spark MLlib's ALS on the same planted data in one process (see
 * docs/benchmarks.md). Not a test: it takes minutes to an hour and its numbers depend on the machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Benchmark blockals against Spark MLlib ALS (and a single-threaded plain-Java ALS) on planted data",
        "generated in memory: median fit seconds, ratios, held-out RMSE and peak heap per size and rank.",
        "Runs on local[2] unless --master says otherwise. 10M ratings need about 8-12 GB of driver heap."})
public final class BenchCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
  private static final String DEFAULT_MASTER = "local[2]";
  private static final double HEAP_GB_PER_MILLION = 1.0;

  @Spec
  CommandSpec commandSpec;

  @Option(names = "--sizes", paramLabel = "LIST",
      description = "Total ratings of each data set, e.g. 100k,1m,3m (default: ${DEFAULT-VALUE}).")
  String sizes = "1m,3m,10m";

  @Option(names = "--ranks", paramLabel = "LIST", description = "Ranks to fit (default: ${DEFAULT-VALUE}).")
  String ranks = "10,64";

  @Option(names = "--iterations", paramLabel = "N", description = "ALS iterations (default: ${DEFAULT-VALUE}).")
  int iterations = 10;

  @Option(names = "--reg", paramLabel = "LAMBDA", description = "reg_param, ALS-WR (default: ${DEFAULT-VALUE}).")
  double reg = 0.05;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Timed rounds per size and rank; medians are reported (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--plain-rounds", paramLabel = "N",
      description = "Rounds that also run the single-threaded plain-Java ALS; 0 skips it (default: ${DEFAULT-VALUE}).")
  int plainRounds = 1;

  @Option(names = "--blocks", paramLabel = "N",
      description = "blockals user and item blocks; 0 = number of cores, the engine's default (default: 0).")
  int blocks;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the cached input; 0 = twice the number of cores (default: 0).")
  int partitions;

  @Option(names = "--no-biases", description = "Fit blockals without biases (MLlib never has them).")
  boolean noBiases;

  @Option(names = "--no-warmup", description = "Skip the short untimed warm-up fit of each engine.")
  boolean noWarmup;

  @Option(names = "--no-int-ids", description = "Skip blockals' second fit per round, on the int-id table MLlib gets "
      + "(it is otherwise timed beside the fit on string ids).")
  boolean noIntIds;

  @Option(names = "--solver", paramLabel = "NAME", defaultValue = "auto",
      description = "blockals solver: auto, cholesky or cg (default: ${DEFAULT-VALUE}).")
  String solver;

  @Option(names = "--implicit", description = "Benchmark implicit feedback instead: planted play counts, blockals' "
      + "and MLlib's implicit ALS per alpha, recall@k of the held-out items (train items left out) beside the times.")
  boolean implicit;

  @Option(names = "--alphas", paramLabel = "LIST",
      description = "With --implicit: the confidence slopes to fit with (default: ${DEFAULT-VALUE}).")
  String alphas = "0.1,1,10";

  @Option(names = "--k", paramLabel = "K",
      description = "With --implicit: the length of the ranked lists recall is taken on (default: ${DEFAULT-VALUE}).")
  int k = 20;

  @Option(names = "--no-mllib-default-blocks", description = "With --implicit: fit MLlib only with blocks = cores, "
      + "not also with its default 10 blocks (on few cores the slower of the two).")
  boolean noMllibDefaultBlocks;

  @Option(names = "--seed", paramLabel = "X", description = "Data and model seed (default: ${DEFAULT-VALUE}).")
  long seed = 42L;

  @Option(names = "--markdown", paramLabel = "FILE",
      description = "Also write the tables as Markdown to this file (any Hadoop path).")
  String markdown;

  @Mixin
  SparkOptions spark;

  /** The validated settings (usage errors, exit 2, before Spark starts). */
  BenchConfig toConfig() {
    return new BenchConfig(BenchConfig.parseSizes(sizes), BenchConfig.parseRanks(ranks), iterations, reg, rounds,
        plainRounds, blocks, partitions, !noBiases, !noWarmup, !noIntIds, seed, solver);
  }

  @Override
  public Integer call() {
    BenchConfig cfg = toConfig();
    warnIfHeapSmall(cfg);
    if (spark.master == null && System.getProperty("spark.master") == null) {
      // The published ratios are measured on local[2]; local[*] would make the numbers depend on the machine.
      spark.master = DEFAULT_MASTER;
    }
    if (System.getProperty("spark.ui.enabled") == null) {
      spark.sparkConf.putIfAbsent("spark.ui.enabled", "false");
    }
    ImplicitBench.Settings implicitSettings = implicit
        ? new ImplicitBench.Settings(ImplicitBench.Settings.parseAlphas(alphas), k,
        !noMllibDefaultBlocks) : null;
    return Sessions.run("blockals bench", spark, true, session -> {
      if (implicitSettings != null) {
        return runImplicit(session, cfg, implicitSettings);
      }
      BenchRunner runner = new BenchRunner(session, cfg);
      BenchReport.Machine machine = BenchReport.Machine.current(session.sparkContext().master(), runner.cores(),
          session.version());
      // The Markdown is rewritten after every (size, rank): an hour-long run stopped early keeps what it measured.
      List<BenchRow> rows = runner.run(partial -> {
        if (markdown != null) {
          write(session, markdown, BenchReport.markdown(cfg, machine, commandLine(), partial));
        }
      });
      System.out.println();
      System.out.print(BenchReport.text(cfg, machine, rows));
      System.out.flush();
      if (markdown != null) {
        write(session, markdown, BenchReport.markdown(cfg, machine, commandLine(), rows));
        System.out.println("Markdown written to " + markdown);
      }
      return BlockalsException.EXIT_OK;
    });
  }

  private int runImplicit(SparkSession session, BenchConfig cfg, ImplicitBench.Settings set) {
    ImplicitBench bench = new ImplicitBench(session, cfg, set);
    BenchReport.Machine machine = BenchReport.Machine.current(session.sparkContext().master(),
        session.sparkContext().defaultParallelism(), session.version());
    List<ImplicitBench.Figures> rows = bench.run(partial -> {
      if (markdown != null) {
        write(session, markdown, BenchReport.implicitMarkdown(cfg, set, machine, commandLine(), partial));
      }
    });
    System.out.println();
    System.out.print(BenchReport.implicitText(cfg, set, machine, rows));
    System.out.flush();
    if (markdown != null) {
      write(session, markdown, BenchReport.implicitMarkdown(cfg, set, machine, commandLine(), rows));
      System.out.println("Markdown written to " + markdown);
    }
    return BlockalsException.EXIT_OK;
  }

  private static void warnIfHeapSmall(BenchConfig cfg) {
    long largest = cfg.sizes().stream().mapToLong(Long::longValue).max().orElse(0);
    double neededGb = Math.max(2.0, HEAP_GB_PER_MILLION * largest / 1e6);
    double maxGb = Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024);
    if (maxGb < neededGb) {
      LOG.warn("the JVM's max heap is {} GB; {} ratings want about {} GB (start the JVM with -Xmx{}g)",
          String.format("%.1f", maxGb), largest, Math.round(neededGb), (long) Math.ceil(neededGb));
    }
  }

  private String commandLine() {
    if (commandSpec == null || commandSpec.commandLine().getParseResult() == null) {
      return "bench";
    }
    // The parse result's original arguments are the whole command line, the command name included.
    java.util.List<String> args = new java.util.ArrayList<>(commandSpec.commandLine().getParseResult().originalArgs());
    if (args.isEmpty() || !args.get(0).equals("bench")) {
      args.add(0, "bench");
    }
    return String.join(" ", args);
  }

  /** Through Hadoop's FileSystem like every other output of the project, so FILE may be any Hadoop path. */
  private static void write(SparkSession session, String file, String text) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(session.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
    }
  }
}
