/**
 * Tests of blockals as it is deployed: {@code submit.sh} driven like a user or a scheduler would, and a Spark
 * standalone cluster (a Master and Workers as separate JVMs on 127.0.0.1, started from the Maven dependency jars) on
 * which the model must come out equal to the local-mode model.
 */
package io.blockals.cluster;
