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
 * moves blocks between executors.
 */
package io.blockals.engine;
