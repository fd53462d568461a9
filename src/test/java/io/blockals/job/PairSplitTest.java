package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PairSplitTest {
  private static int heldOut(PairSplit s, int users, int items) {
    int n = 0;
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        if (s.isValidation("user_" + u, "item_" + i)) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void holdsOutTheRequestedShareOfPairs() {
    // 200k pairs: the binomial standard deviation of the share is 0.0007
    assertThat(heldOut(new PairSplit(42, 0.1), 400, 500) / 200_000.0).isCloseTo(0.1, org.assertj.core.data.Offset
        .offset(0.004));
    assertThat(heldOut(new PairSplit(42, 0.5), 400, 500) / 200_000.0).isCloseTo(0.5, org.assertj.core.data.Offset
        .offset(0.004));
    assertThat(heldOut(new PairSplit(42, 0.0), 100, 100)).isZero();
    assertThat(heldOut(new PairSplit(42, 1.0), 100, 100)).isEqualTo(10_000);
  }

  @Test
  void dependsOnThePairAndTheSeedOnly() {
    PairSplit a = new PairSplit(7, 0.3);
    PairSplit b = new PairSplit(7, 0.3);
    PairSplit other = new PairSplit(8, 0.3);
    int differ = 0;
    for (int u = 0; u < 300; u++) {
      for (int i = 0; i < 30; i++) {
        String user = "u" + u;
        String item = "i" + i;
        assertThat(a.isValidation(user, item)).isEqualTo(b.isValidation(new String(user), new String(item)));
        if (a.isValidation(user, item) != other.isValidation(user, item)) {
          differ++;
        }
      }
    }
    // two independent 30% splits disagree on 2 * 0.3 * 0.7 = 42% of the pairs
    assertThat(differ / 9000.0).isBetween(0.38, 0.46);
    // (user, item) is not (item, user)
    int swapped = 0;
    for (int k = 0; k < 1000; k++) {
      if (a.isValidation("x" + k, "y" + k) != a.isValidation("y" + k, "x" + k)) {
        swapped++;
      }
    }
    assertThat(swapped).isGreaterThan(300);
  }

  @Test
  void rejectsAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> new PairSplit(1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PairSplit(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
