package io.blockals.data;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Carries the validation figures of each input partition from the engine's first set-up pass back to the driver,
 * so that a train run parses its input once instead of once to validate and once to train.
 *
 * <p>Keyed by partition index, and an update replaces rather than adds: a partition that Spark runs twice (a retried
 * or speculative task, a recomputed stage) reports the same figures again and they are not counted twice. The
 * driver checks that every partition has reported before it trusts the sum.
 */
final class ScanAccumulator extends AccumulatorV2<ScanAccumulator.Part, Map<Integer, ScanStats>> {
  private static final long serialVersionUID = 1L;

  /** The figures of one whole partition. */
  record Part(int partition, ScanStats stats) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final TreeMap<Integer, ScanStats> parts = new TreeMap<>();

  @Override
  public boolean isZero() {
    return parts.isEmpty();
  }

  @Override
  public ScanAccumulator copy() {
    ScanAccumulator c = new ScanAccumulator();
    c.parts.putAll(parts);
    return c;
  }

  @Override
  public void reset() {
    parts.clear();
  }

  @Override
  public void add(Part p) {
    parts.put(p.partition(), p.stats());
  }

  @Override
  public void merge(AccumulatorV2<Part, Map<Integer, ScanStats>> other) {
    parts.putAll(other.value());
  }

  @Override
  public Map<Integer, ScanStats> value() {
    return parts;
  }
}
