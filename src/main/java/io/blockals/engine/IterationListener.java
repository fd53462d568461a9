package io.blockals.engine;

/** Told about each finished iteration (progress logging, tests that inject faults). */
@FunctionalInterface
public interface IterationListener {
  void onIteration(IterationStats stats, int maxIter);
}
