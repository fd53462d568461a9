package io.blockals.engine;

import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * What a fit may take beyond the ratings and {@link AlsParams}; both parts are optional (null).
 *
 * @param warmStart the published model to start from instead of the seeded factors
 * @param validation held-out pairs (user, item, rating: strings and a double, by position) scored with every
 *     iteration's factors on the executors, which gives each iteration's validation RMSE and lets {@code patience}
 *     work; asked for on the driver once set-up has read the input, so it may read the input again
 */
public record FitOptions(WarmStart warmStart, Supplier<JavaRDD<Row>> validation) {
  /** A cold start without a validation set. */
  public static final FitOptions NONE = new FitOptions(null, null);
}
