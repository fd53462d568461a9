package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.blockals.BlockalsException;
import org.apache.spark.sql.SparkSession;

/** The reader tests' shared check: reading {@code path} must be refused as bad input (exit 3). */
final class Rejections {
  private Rejections() {}

  /** Reads {@code path} and returns the rejection, failing the test if there is none or it has another exit code. */
  static BlockalsException rejected(SparkSession spark, String path, InputSpec spec) {
    BlockalsException e = catchThrowableOfType(BlockalsException.class,
        () -> RatingsReader.read(spark, path, spec).close());
    assertThat(e).as("expected a rejection of %s", path).isNotNull();
    assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(BlockalsException.EXIT_INPUT_REJECTED);
    return e;
  }
}
