/**
 * Planted-factor synthetic ratings with a known noise floor, for tests, benchmarks and the shipped samples.
 *
 * <p>{@link io.blockals.generate.SyntheticGenerator#generate} draws user and item factors and biases, samples unique
 * (user, item) pairs with Zipf item popularity and log-normal user activity, and sets
 * {@code r = mu + b_u + b_i + p_u . q_i + N(0, sigma^2)} without clipping, so a perfect model has a held-out RMSE of
 * exactly sigma ({@link io.blockals.generate.PlantedData#noiseFloor()}). Everything is held in primitive arrays
 * and is a deterministic function of the {@link io.blockals.generate.GeneratorSpec}, seed included, on any JDK (the
 * generator brings its own random number generator). {@link io.blockals.generate.PlantedFiles#write} writes
 * the CSV files that the {@code generate} command produces, through Hadoop's FileSystem.
 *
 * <p>No Spark here: the package is usable from plain unit tests and from the command line without a cluster.
 */
package io.blockals.generate;
