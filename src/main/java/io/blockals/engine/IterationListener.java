package io.blockals.engine;

/** Told about each finished iteration (progress logging, early stopping later). */
@FunctionalInterface
public interface IterationListener {
  void onIteration(IterationStats stats, int maxIter);
}
