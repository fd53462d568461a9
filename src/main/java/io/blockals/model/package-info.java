/**
 * The model-directory contract (format_version 1, see DESIGN.md): {@code model.json}, {@code user_factors/},
 * {@code item_factors/} (Parquet: id, bias, features) and {@code _SUCCESS}; written into a staging folder next to the
 * target and published only when complete, so a reader never sees half a model and a failed run never damages the
 * model that was there. Publishing ({@link io.blockals.model.ModelCommitter}) knows the plain and the dated layout
 * ({@code run=<id>/} plus {@code LATEST}) and how to end a publish on stores without an atomic rename;
 * {@link io.blockals.model.QualityGate} decides whether a new model may replace the published one. All file operations
 * go through Hadoop's {@code FileSystem}.
 */
package io.blockals.model;
