package io.blockals.job;

import io.blockals.data.ParseWarmUp;
import io.blockals.engine.AlsParams;
import io.blockals.engine.DuplicatePolicy;
import io.blockals.engine.KernelWarmUp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark plugin that, as each executor starts (in local mode: in the driver's JVM, while the SparkContext is still
 * starting), runs the hot paths of a train run over made-up data on a low-priority daemon thread, in the order the
 * run needs them: the text reader ({@link ParseWarmUp}), set-up's batching and the half-step's solve at the run's
 * rank ({@link KernelWarmUp}). Nothing waits for it: tasks that arrive before it is done simply run beside it. {@link #settings} gives the
 * Spark settings that switch it on; {@code spark.blockals.warmUp.enabled=false} switches it off.
 */
public final class WarmUpPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUpPlugin.class);
  static final String PREFIX = "spark.blockals.warmUp.";
  /** Compiled, a round takes well under a millisecond at rank 10; the budget only bounds a slow machine. */
  private static final long BUDGET_NANOS = 2_000_000_000L;
  /** Made-up lines per round of the reader's warm-up; some 100k lines in all get it compiled. */
  private static final int PARSE_LINES = 2000;
  private static final int PARSE_ROUNDS = 60;

  /**
   * The settings that load the plugin for a run of {@code p}: {@code spark.plugins} with this class added to
   * {@code existingPlugins} (the plugins already configured, or null), and the parameters the warm-up needs.
   */
  public static Map<String, String> settings(AlsParams p, String existingPlugins) {
    Map<String, String> m = new LinkedHashMap<>();
    String me = WarmUpPlugin.class.getName();
    String plugins = existingPlugins == null || existingPlugins.isBlank() ? me
        : existingPlugins.contains(me) ? existingPlugins : existingPlugins + "," + me;
    m.put("spark.plugins", plugins);
    m.put(PREFIX + "rank", String.valueOf(p.rank()));
    m.put(PREFIX + "biases", String.valueOf(p.biases()));
    m.put(PREFIX + "implicit", String.valueOf(p.implicit()));
    m.put(PREFIX + "nonnegative", String.valueOf(p.nonnegative()));
    m.put(PREFIX + "solver", p.solver());
    return m;
  }

  /** The parameters of the warm-up's made-up block, or null when the settings are absent or switched off. */
  static AlsParams params(SparkConf conf) {
    if (!conf.getBoolean(PREFIX + "enabled", true) || !conf.contains(PREFIX + "rank")) {
      return null;
    }
    return new AlsParams(conf.getInt(PREFIX + "rank", 10), 1, 0.1, conf.getBoolean(PREFIX + "implicit", false), 1.0,
        conf.getBoolean(PREFIX + "biases", true), conf.getBoolean(PREFIX + "nonnegative", false), conf.get(PREFIX + "solver", "auto"), 1, 1, 42L, 0,
        DuplicatePolicy.LATEST);
  }

  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        AlsParams p;
        try {
          p = params(ctx.conf());
        } catch (RuntimeException e) {
          LOG.debug("no kernel warm-up: {}", e.toString());
          return;
        }
        if (p == null) {
          return;
        }
        Thread t = new Thread(() -> {
          try {
            long t0 = System.nanoTime();
            // The reader's rows straight into set-up's batching, as in a train run's first stage.
            byte[][] lines = ParseWarmUp.madeUpLines(PARSE_LINES);
            for (int round = 0; round < PARSE_ROUNDS; round++) {
              KernelWarmUp.batching(ParseWarmUp.rows(lines, round));
            }
            LOG.debug("reader and batching warm-up: {} s", String.format("%.2f", (System.nanoTime() - t0) / 1e9));
            double[] rounds = KernelWarmUp.run(p, 40, 3, BUDGET_NANOS);
            double sum = 0;
            for (double r : rounds) {
              sum += r;
            }
            LOG.debug("kernel warm-up at rank {}: {} rounds, {} s, last {} ms", p.rank(), rounds.length,
                String.format("%.2f", sum), String.format("%.3f", rounds[rounds.length - 1] * 1e3));
          } catch (RuntimeException | LinkageError e) {
            // A warm-up is only ever an optimisation.
            LOG.debug("kernel warm-up failed: {}", e.toString());
          }
        }, "blockals kernel warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
      }
    };
  }
}
