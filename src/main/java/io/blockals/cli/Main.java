package io.blockals.cli;

import io.blockals.BlockalsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code blockals <command> [options]}; what submit.sh runs through spark-submit. */
@Command(name = "blockals", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Block-wise ALS matrix factorisation on Apache Spark, with Parquet output.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, ScoreCommand.class, GenerateCommand.class,
        BenchCommand.class, RecommendCommand.class, SimilarItemsCommand.class,
        ExportCommand.class, SplitCommand.class, TuneCommand.class},
    synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: train, evaluate, split, tune, score, recommend, similar-items, export, generate or bench");
  }

  public static void main(String[] args) {
    int code = execute(args);
    System.exit(code);
  }

  /** Runs a command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, parseResult.expandedArgs().contains("--verbose")));
    cl.setParameterExceptionHandler((ex, args1) -> {
      System.err.println("blockals: " + ex.getMessage());
      ex.getCommandLine().usage(System.err);
      return BlockalsException.EXIT_USAGE;
    });
    return cl.execute(args);
  }

  /** One clear line on stderr; the exit code from the innermost BlockalsException, else 1. */
  static int report(Throwable ex, boolean verbose) {
    if (io.blockals.job.TrainJob.interrupted()) {
      // SIGINT/SIGTERM: the shutdown hook has said what happened; the failure here is only its echo (Spark stopped
      // under the running job), and the JVM exits with 128 + the signal whatever this returns.
      return BlockalsException.EXIT_UNEXPECTED;
    }
    BlockalsException known = find(ex);
    if (known == null) {
      known = singular(ex);
    }
    if (known != null) {
      System.err.println("blockals: error: " + oneLine(known.getMessage()));
      if (verbose) {
        ex.printStackTrace(System.err);
      }
      return known.exitCode();
    }
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    System.err.println("blockals: unexpected failure: " + root.getClass().getSimpleName() + ": "
        + oneLine(String.valueOf(root.getMessage())) + (verbose ? "" : " (run again with --verbose for the stack trace)"));
    if (verbose) {
      ex.printStackTrace(System.err);
    }
    return BlockalsException.EXIT_UNEXPECTED;
  }

  /** Schedulers read one line; Kryo and Spark messages can span several. */
  static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " | ");
  }

  /**
   * A singular normal equation (reg_param 0 and a row with fewer ratings than the rank) is a configuration problem,
   * not a crash: exit 2 with the kernel's advice (raise reg_param or lower rank).
   */
  static BlockalsException singular(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.blockals.kernel.SingularSystemException s) {
        return BlockalsException.usage(s.getMessage());
      }
    }
    return null;
  }

  /** Spark wraps executor-side failures (a bad row found in a task) in SparkException; look inside. */
  static BlockalsException find(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BlockalsException b) {
        return b;
      }
    }
    return null;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"blockals " + io.blockals.job.Version.get()};
    }
  }
}
