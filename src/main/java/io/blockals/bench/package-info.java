/**
 * The side-by-side benchmark behind the {@code bench} command: planted data generated in memory, blockals and Spark
 * MLlib's ALS fitted alternately on the same cached input in one process, plus a naive single-threaded plain-Java ALS
 * as the "two cores beat one" yardstick; medians, ratios, held-out RMSE and peak driver heap in one table.
 *
 * <p>Only the harness lives here; it never changes how the engine trains. The pure parts (median, ratios, the RMSE
 * over factor arrays, the table, the plain ALS) carry no Spark imports so they are tested without a SparkSession.
 */
package io.blockals.bench;
