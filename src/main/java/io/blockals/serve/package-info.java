/**
 * Serving the published factors without Spark: bounded top-K heaps, scoring a block of users against a block of
 * items with a seen-item filter, and cosine similarity of item factors. The Spark jobs in {@code io.blockals.job}
 * cut the factor tables into blocks and hand each pair of blocks to these classes on the executors, so everything
 * here is plain Java and unit-tested without a session.
 *
 * <p>Items are addressed by their position in the item table sorted by id, so "ties by item id" is "ties by the
 * smaller position", and a user's seen items are a sorted {@code int[]} of positions walked with a forward cursor.
 */
package io.blockals.serve;
