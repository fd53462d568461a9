/**
 * The numeric kernel of blockals: per-row regularised least squares for Alternating Least Squares.
 *
 * <p>For each user (or item) the engine gathers the factors {@code y_j} of the items (users) it rated into a
 * {@link io.blockals.kernel.NormalEquation}, which accumulates {@code ata = sum c_j y_j y_j^T} and
 * {@code atb = sum b_j y_j}; a {@link io.blockals.kernel.LeastSquaresSolver} then solves
 * {@code (ata + lambda I) x = atb}: {@link io.blockals.kernel.CholeskySolver} (direct),
 * {@link io.blockals.kernel.ConjugateGradientSolver} (iterative, warm-startable) or
 * {@link io.blockals.kernel.NNLSSolver} (with {@code x >= 0}). {@link io.blockals.kernel.Solvers#forName} maps the
 * {@code solver} / {@code nonnegative} configuration keys to an instance. Up to k = 16, where a Cholesky solve is a
 * few hundred operations in short loops, {@link io.blockals.kernel.LaneSolver} takes four rows' systems at once, one
 * per lane of a 256-bit vector (with the vector kernel), with the same results as the Cholesky solver alone.
 *
 * <p>Building the equations: with JDK 17's Vector API module in the JVM, rows of up to 16 features are added four
 * ratings at a time into a square scratch ({@code VectorKernel}); from 17 features on, the ratings' rows are gathered
 * 32 at a time into a panel of doubles and every 8 x 8 tile of the triangle is summed over the panel in registers
 * ({@code TiledKernel}, a {@code dsyrk}). Without the module a scalar kernel runs, four rows per pass.
 *
 * <p>This package is plain Java and must never import {@code org.apache.spark} (or any other library): it is
 * tested without a SparkSession and the Spark engine only moves blocks of data to it.
 *
 * <p>Storage layout: the symmetric {@code k x k} matrix {@code ata} is kept as its packed upper triangle in
 * column-major order, the LAPACK "U" packed layout used by {@code dspr}/{@code dpptrf}: element {@code (i, j)} with
 * {@code i <= j} is at index {@code i + j * (j + 1) / 2}, so column {@code j} of the triangle occupies the
 * contiguous range {@code [j * (j + 1) / 2, j * (j + 1) / 2 + j]} and the array has {@code k * (k + 1) / 2}
 * entries. Accumulation and solving are done in {@code double}; the engine stores factors as {@code float}.
 *
 * <p>Reading rows from the gathered table: a row's ratings point at rows of that table at random. Once the table is
 * larger than the caches (a 10M-rating item block gathers 12 MB of user rows), {@code addRows} first reads one value
 * per cache line of the next 64 rows in a pass that does nothing else, so their misses overlap, and only then adds
 * them; the sums and their order are the same either way ({@code NormalEquation.TOUCH}, {@code GatherBench}).
 *
 * <p>Instances are mutable and not thread-safe: a Spark task owns its equation and solver and uses them from one
 * thread, reusing their scratch arrays for every row so that the inner loops never allocate.
 */
package io.blockals.kernel;
