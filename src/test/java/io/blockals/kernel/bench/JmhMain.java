package io.blockals.kernel.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel micro-benchmarks with modest settings (1 fork, 2 x 1 s warm-up, 3 x 1 s measurement), about three
 * minutes in all. The optional first argument is a JMH include pattern, e.g. {@code SolverBench} or
 * {@code NormalEquationBench.addRows}.
 */
public final class JmhMain {
  private JmhMain() {}

  public static void main(String[] args) throws RunnerException {
    String include = args.length > 0 ? args[0] : JmhMain.class.getPackageName() + "\\..*Bench";
    Options options = new OptionsBuilder()
        .include(include)
        .forks(1)
        .jvmArgsAppend("-Xmx1g")
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .mode(Mode.AverageTime)
        .timeUnit(TimeUnit.NANOSECONDS)
        .build();
    new Runner(options).run();
  }
}
