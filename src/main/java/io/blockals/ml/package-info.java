/**
 * blockals as a Spark ML stage: {@link io.blockals.ml.BlockAlsEstimator} and {@link io.blockals.ml.BlockAlsModel}
 * take the place of MLlib's {@code ALS} and {@code ALSModel} in a {@code Pipeline}, {@code CrossValidator} or
 * {@code TrainValidationSplit}, with MLlib's parameter names. Training is {@code io.blockals.engine.BlockAls}, the
 * same as {@code train}; a saved model is a model directory of the contract ({@code io.blockals.model.ModelFormat})
 * that also holds Spark ML's {@code metadata/}, so the commands and any Parquet reader open it too.
 */
package io.blockals.ml;
