/**
 * JMH micro-benchmarks of the numeric kernel: building one row's normal equations (rank-1 updates with
 * {@code NormalEquation.add}, blocked {@code addRows}, a plain loop) and solving them (Cholesky, CG, a plain
 * Cholesky) at ranks 10, 64 and 128; rows read from a table larger than the caches ({@code GatherBench}); four small
 * systems solved one by one or at once in vector lanes ({@code LaneSolverBench}). Run with {@link io.blockals.kernel.bench.JmhMain}; see docs/benchmarks.md.
 */
package io.blockals.kernel.bench;
