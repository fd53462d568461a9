/**
 * The input side of blockals: reads a ratings file or directory (csv, tsv, MovieLens {@code ratings.dat} and
 * {@code u.data}, Parquet), validates every row under a bad-row policy and hands the good rows to the engine.
 *
 * <p>Entry points: {@link io.blockals.data.RatingsReader#read} (validate now) and
 * {@link io.blockals.data.RatingsReader#open} (validate in the pass that feeds the engine, so {@code train} parses its
 * files once), configured by an {@link io.blockals.data.InputSpec} and returning a
 * {@link io.blockals.data.RatingsInput} (good rows, an {@link io.blockals.data.InputReport} for model.json, the
 * rejected rows for quarantine).
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>Text files are read with Hadoop's TextInputFormat and parsed here (RFC 4180 quoting for csv), so every
 *       row keeps the byte offset of its line; {@code ord = fileIndex << 40 | offset} (row index for Parquet)
 *       does not depend on how Spark splits the files, which the engine's determinism relies on.
 *   <li>Line numbers are exact 1-based physical lines, blank and header lines included. Each task counts the
 *       lines of its input split in the same pass that parses them, and the driver adds up the earlier splits,
 *       so reported and quarantined rows get their line without the files being read twice.
 *   <li>A header is the first line of each file and may order the columns differently in each file. Without a
 *       header the column settings are 0-based positions and the first line of each file fixes how many fields
 *       every line must have (at least enough for the configured positions).
 *   <li>Ids stay strings, trimmed; the engine decides whether they are all integers.
 *   <li>All file access goes through Hadoop's FileSystem, so paths may be local, hdfs:, s3a:, ...
 * </ul>
 * Pure logic (line splitting, row rules, line numbering) is free of Spark and unit-tested on its own.
 */
package io.blockals.data;
