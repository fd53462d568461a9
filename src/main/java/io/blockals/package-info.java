/**
 * blockals: block-wise Alternating Least Squares on Apache Spark.
 *
 * <p>Packages, one job each:
 * <ul>
 *   <li>{@code io.blockals.kernel}: the numerics in plain Java (normal equations, Cholesky solves), no Spark.</li>
 *   <li>{@code io.blockals.data}: reading and validating ratings, with the bad-row policy.</li>
 *   <li>{@code io.blockals.generate}: planted-factor synthetic data.</li>
 *   <li>{@code io.blockals.engine}: the block-wise ALS on Spark.</li>
 *   <li>{@code io.blockals.model}: the model-directory contract: writing, committing, reading.</li>
 *   <li>{@code io.blockals.serve}: serving the factors: block-wise top-K recommendation, similar items and fold-in
 *       of new users, in plain Java.</li>
 *   <li>{@code io.blockals.metrics}: ranking metrics of a model on held-out data (precision, recall, NDCG, MAP at
 *       k, AUC), per user in plain Java, summed on the executors.</li>
 *   <li>{@code io.blockals.config}: job configuration, read and validated once.</li>
 *   <li>{@code io.blockals.report}: report.html, the page of a run drawn from its model.json.</li>
 *   <li>{@code io.blockals.job}: the jobs behind the commands: read, train, evaluate, write into staging, publish.</li>
 *   <li>{@code io.blockals.cli}: the command line: parse, run the job, print.</li>
 *   <li>{@code io.blockals.ml}: the Spark ML stages (Estimator and Model) that stand in for MLlib's ALS in
 *       pipelines, training with the engine and saving model directories.</li>
 *   <li>{@code io.blockals.bench}: the benchmark harness that times blockals beside Spark MLlib's ALS.</li>
 * </ul>
 */
package io.blockals;
