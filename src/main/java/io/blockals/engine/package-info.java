/**
 * Block-wise ALS on Spark.
 *
 * <p>Users are hashed into {@code num_user_blocks} blocks and items into {@code num_item_blocks}. Each block keeps,
 * once, from set-up on: its ids (sorted; the position is the local index), an <em>in-block</em> (its ratings in CSR
 * form, each pointing at a row of the factors gathered from the other side) and an <em>out-block</em> (for each block
 * of the other side, the sorted local rows that block needs). A half-iteration ships each factor only to the blocks
 * that hold a rating for it, solves every row there with the pure-Java {@code io.blockals.kernel}, and computes the
 * training loss inside the same stage.
 *
 * <p>The classes split the same way as the work: {@link io.blockals.engine.BlockBuilder} and
 * {@link io.blockals.engine.HalfStep} are plain Java, tested without Spark; {@link io.blockals.engine.BlockAls} only
 * moves blocks between executors: set-up builds the blocks, {@link io.blockals.engine.Training} drives the start
 * (seeded, or a published model joined to the blocks by {@link io.blockals.engine.WarmFactors}), the iterations and,
 * through the plain-Java {@link io.blockals.engine.EarlyStopping}, when they end. Held-out pairs
 * ({@link io.blockals.engine.ValidationSet}) are scored inside each iteration's last half, so every iteration has a
 * validation RMSE without a Spark job of its own.
 *
 * <p>Set-up turns ids into dense codes with one family of open-addressing tables, each giving codes in order of first
 * appearance and sized from an expected count, one per way an id arrives: {@link io.blockals.engine.StringIndex} for
 * Java strings, {@link io.blockals.engine.Utf8Index} for UTF-8 bytes as Spark's internal rows and the first shuffle
 * carry them, and {@link io.blockals.engine.LongIndex} for ids read from integer columns. They share the probe scheme
 * (a 64-bit mix of the hash, linear probing over int slots, no boxing) but not code: each compares keys in the form it
 * holds them, which is what makes it fast for that form. {@link io.blockals.engine.IdTable} is how a batch's distinct
 * ids travel between them.
 */
package io.blockals.engine;
