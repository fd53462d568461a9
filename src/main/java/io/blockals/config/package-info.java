/**
 * Job configuration: defaults (with a comment on every key) in {@code blockals/defaults.conf}, overlaid by a HOCON
 * or properties file and by {@code --set key=value}; read and validated once on the driver, before Spark starts.
 */
package io.blockals.config;
