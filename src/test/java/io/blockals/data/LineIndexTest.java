package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineIndexTest {

  @Test
  void addsTheLinesOfEarlierSplitsOfTheSameFileOnly() {
    Map<Long, Long> linesPerSplit = new HashMap<>();
    // file 0: splits at bytes 0, 100, 250 holding 5, 7, 3 lines; file 1: splits at 0 and 80 with 4 and 2
    linesPerSplit.put(Ords.of(0, 250), 3L);
    linesPerSplit.put(Ords.of(0, 0), 5L);
    linesPerSplit.put(Ords.of(0, 100), 7L);
    linesPerSplit.put(Ords.of(1, 80), 2L);
    linesPerSplit.put(Ords.of(1, 0), 4L);
    LineIndex index = LineIndex.of(linesPerSplit);
    assertThat(index.lineNumber(Ords.of(0, 0), 0)).isEqualTo(1);
    assertThat(index.lineNumber(Ords.of(0, 100), 0)).isEqualTo(6);
    assertThat(index.lineNumber(Ords.of(0, 250), 2)).isEqualTo(15);
    assertThat(index.lineNumber(Ords.of(1, 0), 3)).isEqualTo(4);
    assertThat(index.lineNumber(Ords.of(1, 80), 1)).isEqualTo(6);
    assertThat(index.lineNumber(Ords.of(2, 0), 0)).isEqualTo(-1);
  }

  @Test
  void ordOrdersByFileThenPosition() {
    assertThat(Ords.of(0, Ords.POSITION_MASK)).isLessThan(Ords.of(1, 0));
    long ord = Ords.of(3, 12345);
    assertThat(Ords.file(ord)).isEqualTo(3);
    assertThat(Ords.position(ord)).isEqualTo(12345);
  }
}
