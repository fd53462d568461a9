/**
 * blockals: block-wise Alternating Least Squares on Apache Spark.
 *
 * <p>Packages: {@code kernel} (pure-Java numerics, no Spark), {@code data} (reading and validating ratings),
 * {@code generate} (planted-factor synthetic data), {@code engine} (the block-wise ALS on Spark), {@code model}
 * (the model-directory contract: writing, committing, reading), {@code config} (job configuration), {@code cli}
 * (the command line).
 */
package io.blockals;
