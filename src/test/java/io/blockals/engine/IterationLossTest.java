package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The loss accumulator as Spark drives it: the driver's copy merges one task copy per finished task, and a block
 * whose solve runs again (a retried task, a recomputed cached block) merges the same figures a second time.
 */
class IterationLossTest {
  /** What one task reports: {iteration, block, residual sum, item reg term, user reg term}. */
  private static IterationLoss task(IterationLoss driver, double... update) {
    IterationLoss t = (IterationLoss) driver.copyAndReset();
    t.add(update);
    return t;
  }

  @Test
  void aBlockReportedTwiceCountsOnce() {
    IterationLoss driver = new IterationLoss(2);
    driver.merge(task(driver, 1, 0, 4.0, 1.0, 2.0));
    assertThat(driver.sums(1)).as("block 1 has not reported").isNull();
    driver.merge(task(driver, 1, 0, 4.0, 1.0, 2.0));
    driver.merge(task(driver, 1, 1, 6.0, 0.5, 0.0));
    // 4 + 6, 1 + 0.5, 2 + 0: block 0 once, although it reported twice
    assertThat(driver.sums(1)).containsExactly(10.0, 1.5, 2.0);
  }

  @Test
  void iterationsAreKeptApartAndForgottenInOrder() {
    IterationLoss driver = new IterationLoss(2);
    driver.merge(task(driver, 1, 0, 1.0, 0.0, 0.0));
    driver.merge(task(driver, 1, 1, 2.0, 0.0, 0.0));
    driver.merge(task(driver, 2, 0, 10.0, 0.0, 0.0));
    driver.merge(task(driver, 2, 1, 20.0, 0.0, 0.0));
    assertThat(driver.sums(1)).containsExactly(3.0, 0.0, 0.0);
    assertThat(driver.sums(2)).containsExactly(30.0, 0.0, 0.0);
    driver.forget(1);
    assertThat(driver.sums(1)).isNull();
    assertThat(driver.sums(2)).containsExactly(30.0, 0.0, 0.0);
  }

  @Test
  void awaitGivesUpWhenABlockNeverReports() throws InterruptedException {
    IterationLoss driver = new IterationLoss(2);
    driver.merge(task(driver, 1, 0, 1.0, 0.0, 0.0));
    assertThat(driver.await(1, 20)).isNull();
    driver.merge(task(driver, 1, 1, 2.0, 0.0, 0.0));
    assertThat(driver.await(1, 20)).containsExactly(3.0, 0.0, 0.0);
  }
}
