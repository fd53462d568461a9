/**
 * The jobs behind the commands, wiring the packages together: read and validate, split, train, evaluate, write into
 * staging, publish. Each job takes a SparkSession and a validated configuration; the command line builds both.
 */
package io.blockals.job;
