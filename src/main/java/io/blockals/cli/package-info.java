/**
 * The command line (picocli): {@code train}, {@code evaluate}, {@code score}, {@code generate}. Maps every failure
 * to the exit codes of DESIGN.md and prints one line for it (the stack trace only with {@code --verbose}).
 */
package io.blockals.cli;
