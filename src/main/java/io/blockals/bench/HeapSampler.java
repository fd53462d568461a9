package io.blockals.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples the used heap in a background daemon thread while a fit runs and keeps the maximum. In local mode the driver
 * is also the executor, so this is everything the run holds: cached input, blocks, shuffle buffers, and garbage not yet
 * collected (the figure therefore depends on when the collector runs; the caller starts every fit after a full GC).
 */
public final class HeapSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 10;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;

  private HeapSampler() {
    peak = used();
    thread = new Thread(this::loop, "blockals-bench-heap-sampler");
    thread.setDaemon(true);
  }

  /** Starts sampling now. */
  public static HeapSampler start() {
    HeapSampler s = new HeapSampler();
    s.thread.start();
    return s;
  }

  private long used() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  private void loop() {
    while (running) {
      long u = used();
      if (u > peak) {
        peak = u;
      }
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The largest used heap seen so far, in bytes (one last sample included). */
  public long peakBytes() {
    long u = used();
    if (u > peak) {
      peak = u;
    }
    return peak;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
