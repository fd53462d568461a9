package io.blockals.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns (input split, line within the split) into the 1-based physical line number of a text file.
 *
 * <p>Every line of a file is read by exactly one input split, in order, so the line number of a row is the
 * number of lines (blank and header lines included) in the earlier splits of the same file plus its position
 * in its own split. The tasks report how many lines each split held in the same pass that parses them, which
 * gives exact line numbers for every rejected row without reading any file a second time. A split key is
 * {@code fileIndex << 40 | splitStartByte}, so sorting keys sorts splits by file and then by position.
 */
final class LineIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<Long, Long> linesBefore;

  private LineIndex(Map<Long, Long> linesBefore) {
    this.linesBefore = linesBefore;
  }

  /** From the number of lines in each split, keyed by split key. */
  static LineIndex of(Map<Long, Long> linesPerSplit) {
    Map<Long, Long> before = new HashMap<>();
    long currentFile = -1;
    long running = 0;
    for (Map.Entry<Long, Long> e : new TreeMap<>(linesPerSplit).entrySet()) {
      long file = e.getKey() >>> Ords.POSITION_BITS;
      if (file != currentFile) {
        currentFile = file;
        running = 0;
      }
      before.put(e.getKey(), running);
      running += e.getValue();
    }
    return new LineIndex(before);
  }

  /** The 1-based line number, or -1 when the split is unknown. */
  long lineNumber(long splitKey, long lineInSplit) {
    Long before = linesBefore.get(splitKey);
    return before == null ? -1 : before + lineInSplit + 1;
  }
}
